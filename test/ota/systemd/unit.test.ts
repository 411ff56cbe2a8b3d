/**
 * The daemon's unit: what the OTA design relies on (notify, watchdog, the guard, exit 75), the
 * memory settings, and the hardening of the security review, with `systemd-analyze security
 * --offline=yes` scoring it (exposure ≤ 2.5). systemd-analyze is required (setup installs the
 * Debian package systemd): a missing tool fails the test. `systemd-analyze verify` runs on the
 * installed units in test/ota/install/install.itest.ts, where their programs exist.
 */
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from 'yaml';
import { DEFAULT_STATE_DIR } from '../../../firmware/config/sections/reader.ts';
import { layoutOf } from '../../../ota/agent/layout.ts';
import { exposureOf, MAX_EXPOSURE } from '../../helpers/systemd-analyze.ts';

const dir = new URL('../../../ota/systemd/', import.meta.url).pathname;
const unitPath = `${dir}kaoreader.service`;
const unit = readFileSync(unitPath, 'utf8');

function settings(key: string, text = unit): string[] {
  return [...text.matchAll(new RegExp(`^${key}=(.*)$`, 'gm'))].map((m) => m[1] ?? '');
}
const setting = (key: string, text = unit): string | undefined => settings(key, text)[0];

function environment(): Map<string, string> {
  const env = new Map<string, string>();
  for (const v of settings('Environment')) {
    for (const pair of v.split(/\s+/)) {
      const eq = pair.indexOf('=');
      if (eq > 0) env.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
  }
  return env;
}

test('notify, watchdog, restart on failure, intentional-restart status, the guard with full privileges before start', () => {
  assert.is(setting('Type'), 'notify');
  assert.is(setting('NotifyAccess'), 'all');
  assert.ok(Number(setting('WatchdogSec')) > 0);
  assert.is(setting('Restart'), 'on-failure');
  assert.is(setting('RestartForceExitStatus'), '75');
  assert.is(setting('ExecStartPre'), '+/bin/sh /opt/kaoreader/bin/kaoreader-start-guard /opt/kaoreader 3 /var/lib/kaoreader');
  assert.ok(Number(setting('StartLimitBurst')) > 3, 'systemd must not give up before the guard rolls back');
});

test("the release's own runtime runs its compiled entry; the configuration is root's", () => {
  assert.is(
    setting('ExecStart'),
    '/opt/kaoreader/current/runtime/bin/node /opt/kaoreader/current/bin/kaoreader.js run --config /etc/kaoreader/config.yaml',
  );
  assert.is(setting('WorkingDirectory'), '/opt/kaoreader/current');
  assert.is(setting('User'), 'kaoreader');
});

test('the daemon runs on jemalloc with 2 arenas (glibc with 2 arenas as the fallback): RSS levels off in a soak', () => {
  const env = environment();
  assert.is(env.get('LD_PRELOAD'), 'libjemalloc.so.2');
  assert.is(env.get('MALLOC_ARENA_MAX'), '2');
  assert.is(env.get('MALLOC_CONF'), 'narenas:2');
  const start =
    (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> }).scripts[
      'start'
    ] ?? '';
  for (const v of ['LD_PRELOAD=libjemalloc.so.2', 'MALLOC_ARENA_MAX=2', 'MALLOC_CONF=narenas:2'])
    assert.ok(start.includes(v), `npm start runs the daemon as the unit does (${v})`);
  const setup = readFileSync(new URL('../../../scripts/setup.sh', import.meta.url), 'utf8');
  assert.match(setup, /\blibjemalloc2\b/, 'scripts/setup.sh installs the library the unit preloads');
});

test("hardening: read-only system but the state folder, no privileges, exactly the reader's devices, no swap, no core", () => {
  assert.is(setting('ProtectSystem'), 'strict');
  assert.equal(settings('ReadWritePaths'), ['/var/lib/kaoreader', '-/sys/devices/platform']);
  assert.is(setting('StateDirectory'), 'kaoreader');
  assert.is(setting('NoNewPrivileges'), 'yes');
  assert.is(setting('PrivateTmp'), 'yes');
  assert.is(setting('CapabilityBoundingSet'), '');
  assert.is(setting('DevicePolicy'), 'closed');
  assert.equal(settings('DeviceAllow'), [
    'char-video4linux rw',
    'char-media rw',
    'char-dma_heap rw',
    'char-fb rw',
    'char-input r',
    'char-hidraw rw',
    'char-gpiochip rw',
  ]);
  assert.is(setting('RestrictAddressFamilies'), 'AF_UNIX AF_INET AF_INET6');
  assert.is(setting('SystemCallFilter'), '@system-service');
  assert.is(setting('LimitCORE'), '0');
  assert.is(setting('UMask'), '0077');
  assert.is(setting('MemorySwapMax'), '0');
});

test(`systemd-analyze security --offline=yes: exposure ≤ ${MAX_EXPOSURE} for the daemon`, () => {
  const e = exposureOf(unitPath);
  process.stdout.write(`  kaoreader.service exposure ${e}\n`);
  assert.ok(e <= MAX_EXPOSURE, `exposure ${e} > ${MAX_EXPOSURE}`);
});

test('the installer unit: started by its path unit on a request, runs from the committed release, writes only the releases and the OTA folder', () => {
  const inst = readFileSync(`${dir}kaoreader-installer.service`, 'utf8');
  const path = readFileSync(`${dir}kaoreader-installer.path`, 'utf8');
  assert.is(setting('PathExists', path), '/var/lib/kaoreader/ota/request.json');
  assert.is(setting('Unit', path), 'kaoreader-installer.service');
  assert.is(setting('Type', inst), 'oneshot');
  assert.match(
    setting('ExecStart', inst) ?? '',
    /^\/opt\/kaoreader\/committed\/runtime\/bin\/node \/opt\/kaoreader\/committed\/bin\/kaoreader\.js installer /,
  );
  assert.is(setting('ProtectSystem', inst), 'strict');
  assert.is(setting('ReadWritePaths', inst), '/opt/kaoreader -/var/lib/kaoreader/ota');
  assert.is(setting('CapabilityBoundingSet', inst), 'CAP_DAC_OVERRIDE');
  assert.is(setting('ReadWritePaths'), '/var/lib/kaoreader', 'the daemon itself has no write access to /opt/kaoreader');
});

test("one state folder: the config default, the unit's StateDirectory and ReadWritePaths, the guard, the installer, the install all name it", () => {
  const installDir = new URL('../../../ota/install/', import.meta.url).pathname;
  assert.is(DEFAULT_STATE_DIR, '/var/lib/kaoreader');
  assert.is(`/var/lib/${setting('StateDirectory') ?? ''}`, DEFAULT_STATE_DIR);
  assert.is(settings('ReadWritePaths')[0], DEFAULT_STATE_DIR);
  assert.is((setting('ExecStartPre') ?? '').split(' ').at(-1), DEFAULT_STATE_DIR);
  const config = parse(readFileSync(`${installDir}config.yaml`, 'utf8')) as { reader: { stateDir: string }; ota: { base: string } };
  assert.is(config.reader.stateDir, DEFAULT_STATE_DIR);
  const l = layoutOf(config.ota.base, config.reader.stateDir);
  assert.is(l.otaDir, `${DEFAULT_STATE_DIR}/ota`, "the daemon's OTA files are in its state folder");
  assert.is(l.installDir, '/opt/kaoreader/ota', "the installer's in the release side");
  const path = readFileSync(`${dir}kaoreader-installer.path`, 'utf8');
  assert.is(setting('PathExists', path), l.requestFile);
  assert.is(setting('ReadWritePaths', readFileSync(`${dir}kaoreader-installer.service`, 'utf8')), `${config.ota.base} -${l.otaDir}`);
  const tmpfiles = readFileSync(`${installDir}tmpfiles.conf`, 'utf8');
  assert.match(tmpfiles, new RegExp(`^d\\s+${DEFAULT_STATE_DIR}\\s+0700\\s+kaoreader\\s+kaoreader`, 'm'));
  assert.match(tmpfiles, new RegExp(`^d\\s+${l.otaDir}\\s+0700\\s+kaoreader`, 'm'));
});

test.run();
