/**
 * ota/install/install.sh into an image folder (--root), as an SD card image is built: service
 * user and groups (systemd-sysusers), folders and owners (systemd-tmpfiles), the release under
 * /opt/kaoreader with current and committed, the start guard, the hardened units enabled, udev
 * and polkit rules, a first config and the root of trust. The installed units pass
 * `systemd-analyze verify` with nothing to say (run in a private mount namespace where the
 * image's /opt/kaoreader is mounted, so their programs exist) and the daemon's scores
 * ≤ 2.5 exposure. Installing again keeps the configuration.
 */
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { packFolder } from '../../../ota/release/build.ts';
import { exposureOf, MAX_EXPOSURE } from '../../helpers/systemd-analyze.ts';

const repo = new URL('../../../', import.meta.url).pathname;
const INSTALL = join(repo, 'ota', 'install', 'install.sh');
const UNITS = ['kaoreader.service', 'kaoreader-installer.service', 'kaoreader-installer.path'];

/** A small release shaped like a real one: entry, runtime, units, install files. */
async function release(work: string, version: string): Promise<string> {
  const src = join(work, `src-${version}`);
  for (const d of ['bin', 'runtime/bin', 'ota']) mkdirSync(join(src, d), { recursive: true });
  cpSync(join(repo, 'ota', 'systemd'), join(src, 'ota', 'systemd'), { recursive: true });
  cpSync(join(repo, 'ota', 'install'), join(src, 'ota', 'install'), { recursive: true });
  writeFileSync(join(src, 'runtime', 'bin', 'node'), '#!/bin/sh\nexit 0\n');
  chmodSync(join(src, 'runtime', 'bin', 'node'), 0o755);
  writeFileSync(join(src, 'bin', 'kaoreader.js'), "import '../cli/main.js';\n");
  writeFileSync(
    join(src, 'package.json'),
    JSON.stringify({ name: 'kaoreader', version, type: 'module', bin: { kaoreader: 'bin/kaoreader.js' } }),
  );
  return (await packFolder({ projectRoot: src, arch: 'linux-arm64', outDir: join(work, 'out'), version, level: 1 })).file;
}

const install = (img: string, tarball: string, trust: string): ReturnType<typeof spawnSync> =>
  spawnSync('sh', [INSTALL, tarball, '--root', img, '--trust', trust], { encoding: 'utf8', timeout: 120_000 });

test('install into an image: user, folders, release, units enabled, rules, config, trust; verify clean; exposure', async () => {
  const work = mkdtempSync(join(tmpdir(), 'kao-install-'));
  const img = join(work, 'img');
  mkdirSync(img);
  const trust = join(work, '1.root.json');
  writeFileSync(trust, '{"signed":{"_type":"root"}}\n');
  const r = install(img, await release(work, '1.2.3'), trust);
  assert.is(r.status, 0, `${r.stdout}${r.stderr}`);

  const passwd = readFileSync(join(img, 'etc', 'passwd'), 'utf8');
  const uid = Number(/^kaoreader:x:(\d+):/m.exec(passwd)?.[1]);
  assert.ok(uid > 0, 'service user created');
  assert.match(passwd, /^kaoreader:.*:\/var\/lib\/kaoreader:\/usr\/sbin\/nologin$/m);
  for (const g of ['video', 'input', 'render', 'gpio'])
    assert.match(readFileSync(join(img, 'etc', 'group'), 'utf8'), new RegExp(`^${g}:x:\\d+:.*kaoreader`, 'm'));
  const state = statSync(join(img, 'var', 'lib', 'kaoreader'));
  assert.equal([state.uid, state.mode & 0o777], [uid, 0o700], "the state folder is the daemon's alone");
  const base = statSync(join(img, 'opt', 'kaoreader'));
  assert.equal([base.uid, base.mode & 0o777], [0, 0o755], "the release side is root's");
  assert.is(readlinkSync(join(img, 'opt', 'kaoreader', 'current')), 'releases/1.2.3');
  assert.is(readlinkSync(join(img, 'opt', 'kaoreader', 'committed')), 'releases/1.2.3');
  assert.ok(statSync(join(img, 'opt', 'kaoreader', 'releases', '1.2.3', 'runtime', 'bin', 'node')).mode & 0o111);
  assert.is(statSync(join(img, 'opt', 'kaoreader', 'releases', '1.2.3', 'bin', 'kaoreader.js')).uid, 0);
  assert.ok(statSync(join(img, 'opt', 'kaoreader', 'bin', 'kaoreader-start-guard')).mode & 0o100);
  assert.match(
    readFileSync(join(img, 'usr', 'local', 'bin', 'kaoreader'), 'utf8'),
    /exec \/opt\/kaoreader\/current\/runtime\/bin\/node \/opt\/kaoreader\/current\/bin\/kaoreader\.js "\$@"/,
  );
  for (const u of UNITS) assert.ok(existsSync(join(img, 'etc', 'systemd', 'system', u)), u);
  for (const u of ['kaoreader.service', 'kaoreader-installer.path'])
    assert.ok(lstatSync(join(img, 'etc', 'systemd', 'system', 'multi-user.target.wants', u)).isSymbolicLink(), `${u} enabled`);
  const rules = readFileSync(join(img, 'etc', 'udev', 'rules.d', '60-kaoreader.rules'), 'utf8');
  for (const device of [
    '0b0000',
    'KERNEL=="hidraw*"',
    'KERNEL=="event*"',
    'KERNEL=="fb[0-9]*"',
    'SUBSYSTEM=="video4linux"',
    'KERNEL=="gpiochip[0-9]*"',
  ])
    assert.ok(rules.includes(device), `udev rule for ${device}`);
  assert.match(
    readFileSync(join(img, 'etc', 'polkit-1', 'rules.d', '60-kaoreader-pcsc.rules'), 'utf8'),
    /org\.debian\.pcsc-lite\.access_card/,
  );
  assert.match(readFileSync(join(img, 'etc', 'kaoreader', 'config.yaml'), 'utf8'), /installer: unit/);
  const daemonTrust = statSync(join(img, 'var', 'lib', 'kaoreader', 'ota', 'tuf', 'root.json'));
  assert.equal([daemonTrust.uid, daemonTrust.mode & 0o777], [uid, 0o600]);
  assert.ok(existsSync(join(img, 'opt', 'kaoreader', 'ota', 'tuf', 'root.json')), "the installer's own trust anchor");

  // systemd-analyze verify: nothing to say about the installed units
  const verify = spawnSync(
    'unshare',
    [
      '--mount',
      '--propagation',
      'private',
      'sh',
      '-c',
      'img=$1; shift; mount -t tmpfs none /opt && mkdir /opt/kaoreader && mount --bind "$img/opt/kaoreader" /opt/kaoreader && cd "$img/etc/systemd/system" && exec systemd-analyze verify "$@"',
      'sh',
      img,
      ...UNITS,
    ],
    { encoding: 'utf8', timeout: 60_000 },
  );
  assert.is(verify.error, undefined, 'unshare and systemd-analyze are installed');
  assert.is(verify.status, 0, verify.stderr);
  assert.is(`${verify.stdout}${verify.stderr}`.trim(), '', 'systemd-analyze verify has nothing to say');
  const exposure = exposureOf(join(img, 'etc', 'systemd', 'system', 'kaoreader.service'));
  assert.ok(exposure <= MAX_EXPOSURE, `exposure ${exposure}`);

  // installing again (a newer release by hand) keeps the configuration and the state
  writeFileSync(join(img, 'etc', 'kaoreader', 'config.yaml'), 'hardware:\n  mode: real\n# site settings\n');
  writeFileSync(join(img, 'var', 'lib', 'kaoreader', 'outbox.keep'), 'kept');
  const again = install(img, await release(work, '1.3.0'), trust);
  assert.is(again.status, 0, `${again.stdout}${again.stderr}`);
  assert.is(readlinkSync(join(img, 'opt', 'kaoreader', 'current')), 'releases/1.3.0');
  assert.match(readFileSync(join(img, 'etc', 'kaoreader', 'config.yaml'), 'utf8'), /# site settings/);
  assert.is(readFileSync(join(img, 'var', 'lib', 'kaoreader', 'outbox.keep'), 'utf8'), 'kept');
});

test('a release for another arch is refused on a live machine; a bad tarball is refused', async () => {
  const work = mkdtempSync(join(tmpdir(), 'kao-install-'));
  const arm = await release(work, '1.2.3');
  if (process.arch === 'x64') {
    const r = spawnSync('sh', [INSTALL, arm, '--no-apt', '--no-start'], { encoding: 'utf8', timeout: 60_000 });
    assert.is(r.status, 1);
    assert.match(r.stderr, /is for linux-arm64, this machine is linux-x64/);
  }
  const junk = join(work, 'junk.tar.gz');
  writeFileSync(junk, 'not a tarball');
  const r = spawnSync('sh', [INSTALL, junk, '--root', work], { encoding: 'utf8', timeout: 60_000 });
  assert.not.equal(r.status, 0);
});

test.run();
