/**
 * The hardened install's split, for real: the device program (the daemon's agent) runs as
 * `nobody` and cannot write the release side; every release-side step goes through a request
 * that the installer (`kaoreader installer`, run as root by a watcher standing in for
 * kaoreader-installer.path) checks and carries out, verifying downloads against its own TUF
 * metadata. A full update, trial and commit; then requests the installer must refuse.
 */
import { execFileSync, spawn } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { until } from '../support/agent-for.ts';
import { makeRelease, makeRig, publish } from '../support/fixture.ts';
import { withRepository } from '../support/http-repo.ts';

const bin = new URL('../../../bin/kaoreader.js', import.meta.url).pathname;
const deviceMain = new URL('../support/device-main.ts', import.meta.url).pathname;
const NOBODY = 65534;

function chownTree(dir: string, uid: number): void {
  chownSync(dir, uid, uid);
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) chownTree(join(dir, e.name), uid);
    else chownSync(join(dir, e.name), uid, uid);
  }
}

/** `kaoreader installer` as root, awaited (the repository is served by this process: never block it). */
function runInstaller(config: string): Promise<{ status: number | null; out: string }> {
  return new Promise((resolve) => {
    const c = spawn(process.execPath, [bin, 'installer', '--config', config], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    c.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    c.stderr.on('data', (d: Buffer) => {
      out += d.toString();
    });
    const t = setTimeout(() => c.kill('SIGKILL'), 120_000);
    c.once('close', (status) => {
      clearTimeout(t);
      resolve({ status, out: out.trim() });
    });
  });
}

/** Stands in for kaoreader-installer.path + .service: runs `kaoreader installer` as root whenever a request appears. */
function installerUnit(requestFile: string, config: string): { runs: string[]; stop(): Promise<void> } {
  const runs: string[] = [];
  let stopped = false;
  const loop = (async () => {
    for (let i = 0; i < 20_000 && !stopped; i++) {
      if (existsSync(requestFile)) {
        const r = await runInstaller(config);
        runs.push(`${r.status} ${r.out}`);
      }
      await new Promise((res) => setTimeout(res, 50));
    }
  })();
  return {
    runs,
    stop: async () => {
      stopped = true;
      await loop;
    },
  };
}

function device(args: string[], state: string): Promise<number | null> {
  return new Promise((resolve) => {
    const c = spawn(process.execPath, ['--import', 'tsx', deviceMain, ...args, '--state', state, '--installer', 'unit'], {
      uid: NOBODY,
      gid: NOBODY,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, HOME: '/tmp' },
    });
    const t = setTimeout(() => c.kill('SIGKILL'), 120_000);
    c.once('exit', (code) => {
      clearTimeout(t);
      resolve(code);
    });
  });
}

test('the daemon as nobody updates through the installer: switch, trial, commit; it owns nothing on the release side', async () => {
  const rig = await makeRig();
  await publish(rig, await makeRelease(rig.work, '1.1.0'));
  chmodSync(rig.work, 0o755);
  const state = mkdtempSync(join(tmpdir(), 'kao-state-'));
  chmodSync(state, 0o755);
  mkdirSync(join(state, 'ota', 'tuf'), { recursive: true });
  mkdirSync(join(rig.base, 'ota', 'tuf'), { recursive: true });
  const root = join(rig.repoDir, 'metadata', '1.root.json');
  cpSync(root, join(state, 'ota', 'tuf', 'root.json'));
  cpSync(root, join(rig.base, 'ota', 'tuf', 'root.json'));
  chownTree(state, NOBODY);
  await withRepository(rig.repoDir, async (srv) => {
    const config = join(rig.work, 'config.yaml');
    writeFileSync(config, `reader:\n  stateDir: ${state}\nota:\n  base: ${rig.base}\n  installer: unit\n  repositoryUrl: ${srv.url}\n`);
    const unit = installerUnit(join(state, 'ota', 'request.json'), config);
    try {
      assert.is(await device(['--base', rig.base, '--repo', srv.url, '--check'], state), 75, 'restart after the switch');
      assert.is(readlinkSync(join(rig.base, 'current')), 'releases/1.1.0');
      assert.match(readFileSync(join(rig.base, 'ota', 'trial'), 'utf8'), /^1\.1\.0 1\.0\.0 0/);
      assert.is(await device(['--base', rig.base, '--repo', srv.url], state), 0, 'trial committed');
      assert.is(existsSync(join(rig.base, 'ota', 'trial')), false);
      assert.ok(existsSync(join(rig.base, 'bin', 'kaoreader-start-guard')));
      assert.match(readFileSync(join(state, 'ota', 'agent.json'), 'utf8'), /"floor":"1\.1\.0"/);
      // The device goes on once the installer has answered; the stand-in unit notes the run when the installer process has closed.
      const ran = (step: string) =>
        until(() => unit.runs.some((r) => r.startsWith(`0 ${step} done`)), 10_000).then(
          () => true,
          () => false,
        );
      assert.ok(await ran('unpack'), unit.runs.join('\n'));
      assert.ok(await ran('commit'), unit.runs.join('\n'));
      const owned: string[] = [];
      const walk = (d: string): void => {
        for (const e of readdirSync(d, { withFileTypes: true })) {
          const p = join(d, e.name);
          if (statSync(p, { throwIfNoEntry: false })?.uid === NOBODY) owned.push(p);
          if (e.isDirectory() && p !== join(rig.base, 'state')) walk(p);
        }
      };
      walk(rig.base);
      assert.equal(owned, [], 'the daemon wrote nothing on the release side');
    } finally {
      await unit.stop();
    }
  });
});

test('the installer refuses a download that is not the signed target and a request naming a path', async () => {
  const rig = await makeRig();
  await publish(rig, await makeRelease(rig.work, '1.1.0'));
  const state = mkdtempSync(join(tmpdir(), 'kao-state-'));
  mkdirSync(join(state, 'ota', 'downloads'), { recursive: true });
  mkdirSync(join(rig.base, 'ota', 'tuf'), { recursive: true });
  cpSync(join(rig.repoDir, 'metadata', '1.root.json'), join(rig.base, 'ota', 'tuf', 'root.json'));
  await withRepository(rig.repoDir, async (srv) => {
    const config = join(rig.work, 'config.yaml');
    writeFileSync(config, `reader:\n  stateDir: ${state}\nota:\n  base: ${rig.base}\n  installer: unit\n  repositoryUrl: ${srv.url}\n`);
    const ask = async (req: object): Promise<{ status: number | null; response: string }> => {
      writeFileSync(join(state, 'ota', 'request.json'), JSON.stringify(req));
      const r = await runInstaller(config);
      const f = join(state, 'ota', 'response.json');
      return { status: r.status, response: existsSync(f) ? readFileSync(f, 'utf8') : '' };
    };
    writeFileSync(join(state, 'ota', 'downloads', 'evil.tar.gz'), 'not the release');
    const tampered = await ask({
      id: '0123456789ab',
      arch: 'linux-x64',
      op: 'unpack',
      version: '1.1.0',
      download: 'evil.tar.gz',
      target: 'kaoreader-1.1.0-linux-x64.tar.gz',
    });
    assert.is(tampered.status, 1);
    assert.match(tampered.response, /"reason":"target-hash"/);
    const unsigned = await ask({
      id: '0123456789ac',
      arch: 'linux-x64',
      op: 'unpack',
      version: '9.9.9',
      download: 'evil.tar.gz',
      target: 'kaoreader-9.9.9-linux-x64.tar.gz',
    });
    assert.match(unsigned.response, /"reason":"metadata-inconsistent"/);
    const escape = await ask({ id: '0123456789ad', arch: 'linux-x64', op: 'switch', version: '../../../tmp' });
    assert.is(escape.status, 1);
    const path = await ask({
      id: '0123456789ae',
      arch: 'linux-x64',
      op: 'unpack',
      version: '1.1.0',
      download: '../../../etc/passwd',
      target: 'kaoreader-1.1.0-linux-x64.tar.gz',
    });
    assert.is(path.status, 1);
    assert.is(existsSync(join(rig.base, 'releases', '1.1.0')), false);
    assert.is(existsSync(join(rig.base, 'releases', '9.9.9')), false);
    assert.is(readlinkSync(join(rig.base, 'current')), 'releases/1.0.0');
  });
});

test('the installer reads a download once: a FIFO (genuine bytes for the check, a forged release for the unpack) and a symlink are refused', async () => {
  const rig = await makeRig();
  const genuine = await makeRelease(rig.work, '1.1.0');
  await publish(rig, genuine);
  // same version, its own valid manifest, other bytes: what a daemon taken over would want run as root
  const forged = await makeRelease(mkdtempSync(join(tmpdir(), 'kao-forged-')), '1.1.0', { behaviour: { selfTest: 'fail' } });
  const state = mkdtempSync(join(tmpdir(), 'kao-state-'));
  const downloads = join(state, 'ota', 'downloads');
  mkdirSync(downloads, { recursive: true });
  mkdirSync(join(rig.base, 'ota', 'tuf'), { recursive: true });
  cpSync(join(rig.repoDir, 'metadata', '1.root.json'), join(rig.base, 'ota', 'tuf', 'root.json'));
  const fifo = join(downloads, 'swap.tar.gz');
  execFileSync('mkfifo', [fifo]);
  // the daemon's side of the FIFO: the genuine archive to the first reader, the forged one to the next
  const writer = spawn('sh', ['-c', 'cat "$1" > "$3"; sleep 0.5; cat "$2" > "$3"', 'sh', genuine.file, forged.file, fifo], {
    stdio: 'ignore',
    detached: true,
  });
  symlinkSync(genuine.file, join(downloads, 'link.tar.gz'));
  try {
    await withRepository(rig.repoDir, async (srv) => {
      const config = join(rig.work, 'config.yaml');
      writeFileSync(config, `reader:\n  stateDir: ${state}\nota:\n  base: ${rig.base}\n  installer: unit\n  repositoryUrl: ${srv.url}\n`);
      const ask = async (download: string, id: string): Promise<{ status: number | null; response: string }> => {
        const req = { id, arch: 'linux-x64', op: 'unpack', version: '1.1.0', download, target: 'kaoreader-1.1.0-linux-x64.tar.gz' };
        writeFileSync(join(state, 'ota', 'request.json'), JSON.stringify(req));
        const r = await runInstaller(config);
        const f = join(state, 'ota', 'response.json');
        return { status: r.status, response: existsSync(f) ? readFileSync(f, 'utf8') : '' };
      };
      const swapped = await ask('swap.tar.gz', '0123456789b0');
      assert.is(swapped.status, 1, swapped.response);
      assert.match(swapped.response, /"reason":"download-unsafe"/);
      const linked = await ask('link.tar.gz', '0123456789b1');
      assert.is(linked.status, 1, linked.response);
      assert.match(linked.response, /"reason":"download-unsafe"/);
      assert.is(existsSync(join(rig.base, 'releases', '1.1.0')), false, 'nothing unpacked');
      const staging = join(rig.base, 'ota', 'staging');
      assert.equal(existsSync(staging) ? readdirSync(staging) : [], [], 'no staged copy left');
      assert.is(readlinkSync(join(rig.base, 'current')), 'releases/1.0.0');
    });
  } finally {
    // the writer's group (sh and its cat, still waiting for a reader): only what this test started
    if (writer.exitCode === null && writer.pid !== undefined) process.kill(-writer.pid, 'SIGKILL');
  }
});

test.run();
