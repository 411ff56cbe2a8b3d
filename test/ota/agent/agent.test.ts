import { existsSync, readdirSync, readFileSync, readlinkSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createLogger, MemorySink } from '../../../firmware/core/logger.ts';
import { systemClock } from '../../../firmware/platform/system-clock.ts';
import { OtaAgent } from '../../../ota/agent/agent.ts';
import { UpdateRejectedError } from '../../../ota/agent/errors.ts';
import { UpdateLock } from '../../../ota/agent/update-lock.ts';
import { makeRelease, makeRig, publish } from '../support/fixture.ts';
import { withRepository } from '../support/http-repo.ts';
import { agentFor, until } from '../support/agent-for.ts';

async function rejected(p: Promise<unknown>): Promise<UpdateRejectedError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof UpdateRejectedError) return err;
    throw err;
  }
  throw new Error('expected UpdateRejectedError');
}

test('full update: download, verify, unpack, switch, trial, commit; state survives', async () => {
  const rig = await makeRig();
  await publish(rig, await makeRelease(rig.work, '1.1.0'));
  await withRepository(rig.repoDir, async (srv) => {
    const a = agentFor(rig.base, srv.url);
    await a.agent.start(new AbortController().signal);
    const out = await a.agent.checkForUpdate();
    assert.equal(out, { kind: 'switched', version: '1.1.0' });
    assert.is(readlinkSync(join(rig.base, 'current')), 'releases/1.1.0');
    assert.equal(a.restarts, ['update']);
    const types: string[] = a.events.map((e) => e.type);
    for (const t of [
      'checking',
      'available',
      'download',
      'downloaded',
      'verified',
      'unpack',
      'unpacked',
      'linked',
      'switched',
      'restarting',
    ])
      assert.ok(types.includes(t), t);
    assert.ok(types.indexOf('verified') < types.indexOf('unpack'));
    // "restart": a new agent process finds the trial and commits after the health window
    const b = agentFor(rig.base, srv.url);
    await b.agent.start(new AbortController().signal);
    await until(() => b.events.some((e) => e.type === 'committed'));
    assert.is(existsSync(join(rig.base, 'ota', 'trial')), false);
    assert.is((await b.agent.status()).record.floor, '1.1.0');
    assert.ok(statSync(join(rig.base, 'bin', 'kaoreader-start-guard')).mode & 0o100, 'start guard installed outside the releases');
    assert.is(readFileSync(join(rig.base, 'state', 'outbox.json'), 'utf8'), '{"kept":"across updates"}');
    assert.equal(await b.agent.checkForUpdate(), { kind: 'up-to-date', version: '1.1.0' });
    await b.agent.stop();
  });
});

test('self-test failing in the health window rolls back with the reason and blocks that version', async () => {
  const rig = await makeRig();
  await publish(rig, await makeRelease(rig.work, '1.1.0'));
  await withRepository(rig.repoDir, async (srv) => {
    const a = agentFor(rig.base, srv.url);
    await a.agent.start(new AbortController().signal);
    await a.agent.checkForUpdate();
    const b = agentFor(rig.base, srv.url, { health: () => Promise.resolve([{ name: 'camera', ok: false, detail: 'no frames' }]) });
    await b.agent.start(new AbortController().signal);
    await until(() => b.restarts.includes('rollback'));
    assert.is(readlinkSync(join(rig.base, 'current')), 'releases/1.0.0');
    const c = agentFor(rig.base, srv.url);
    await c.agent.start(new AbortController().signal);
    const rb = c.events.find((e) => e.type === 'rolled-back');
    assert.ok(rb && rb.type === 'rolled-back' && /self-test failed: camera \(no frames\)/.test(rb.reason));
    assert.is((await c.agent.status()).record.blocked['1.1.0'] !== undefined, true);
    assert.equal(await c.agent.checkForUpdate(), { kind: 'up-to-date', version: '1.0.0' });
    await c.agent.stop();
  });
});

test('busy (visit running) defers the switch; download already done', async () => {
  const rig = await makeRig();
  await publish(rig, await makeRelease(rig.work, '1.1.0'));
  await withRepository(rig.repoDir, async (srv) => {
    const a = agentFor(rig.base, srv.url);
    await a.agent.start(new AbortController().signal);
    const visit = a.lock.tryBeginVisit();
    assert.ok(visit);
    assert.equal(await a.agent.checkForUpdate(), { kind: 'deferred', version: '1.1.0' });
    assert.is(readlinkSync(join(rig.base, 'current')), 'releases/1.0.0');
    assert.ok(existsSync(join(rig.base, 'releases', '1.1.0', 'manifest.json')));
    visit?.();
    assert.equal(await a.agent.checkForUpdate(), { kind: 'switched', version: '1.1.0' });
    assert.is(a.lock.tryBeginVisit(), undefined, 'no visit starts while the release is being replaced');
    await a.agent.stop();
  });
});

test('corrupted, truncated and oversized targets are refused before unpacking', async () => {
  const rig = await makeRig();
  const rel = await makeRelease(rig.work, '1.1.0');
  await publish(rig, rel);
  await withRepository(rig.repoDir, async (srv) => {
    const stored = join(rig.repoDir, 'targets', readdirSync(join(rig.repoDir, 'targets')).find((n) => n.includes('1.1.0')) as string);
    const good = readFileSync(stored);
    const a = agentFor(rig.base, srv.url);
    await a.agent.start(new AbortController().signal);
    const bad = Buffer.from(good);
    const mid = bad.length >> 1;
    bad.writeUInt8(bad.readUInt8(mid) ^ 0xff, mid);
    writeFileSync(stored, bad);
    assert.is((await rejected(a.agent.checkForUpdate())).reason, 'target-hash');
    truncateSync(stored, good.length - 1000);
    assert.is((await rejected(a.agent.checkForUpdate())).reason, 'target-truncated');
    writeFileSync(stored, Buffer.concat([good, Buffer.alloc(4096, 1)]));
    assert.is((await rejected(a.agent.checkForUpdate())).reason, 'target-oversized');
    assert.is(existsSync(join(rig.base, 'releases', '1.1.0')), false);
    assert.is(readlinkSync(join(rig.base, 'current')), 'releases/1.0.0');
    writeFileSync(stored, good);
    assert.equal(await a.agent.checkForUpdate(), { kind: 'switched', version: '1.1.0' });
    await a.agent.stop();
  });
});

test('download resumes with a Range request after a dropped connection', async () => {
  const rig = await makeRig();
  await publish(rig, await makeRelease(rig.work, '1.1.0', { paddingBytes: 2 * 1024 * 1024 }));
  await withRepository(rig.repoDir, async (srv) => {
    let dropped = false;
    srv.override = (req, res, path) => {
      if (dropped || !path.startsWith('/targets/') || !path.includes('1.1.0')) return false;
      dropped = true;
      res.writeHead(200, { 'content-length': 10_000_000 });
      res.write(Buffer.alloc(0));
      const file = join(rig.repoDir, path);
      res.write(readFileSync(file).subarray(0, 300_000), () => res.destroy());
      return true;
    };
    const a = agentFor(rig.base, srv.url);
    await a.agent.start(new AbortController().signal);
    assert.equal(await a.agent.checkForUpdate(), { kind: 'switched', version: '1.1.0' });
    assert.ok(
      srv.requests.some((r) => r.includes('1.1.0') && /bytes=[1-9][0-9]*-$/.test(r)),
      srv.requests.join('\n'),
    );
    await a.agent.stop();
  });
});

test('wrong arch, wrong Node ABI, older release and no free space are refused with their reason', async () => {
  const rig = await makeRig('1.2.0');
  await withRepository(rig.repoDir, async (srv) => {
    await publish(rig, await makeRelease(rig.work, '1.3.0', { arch: 'linux-arm64' }));
    let a = agentFor(rig.base, srv.url);
    assert.is((await rejected(a.agent.checkForUpdate())).reason, 'wrong-arch');
    a = agentFor(rig.base, srv.url, { nodeAbi: '999', arch: 'linux-arm64' });
    assert.is((await rejected(a.agent.checkForUpdate())).reason, 'wrong-abi');
    a = agentFor(rig.base, srv.url, { arch: 'linux-arm64', freeBytes: () => Promise.resolve(1024) });
    assert.is((await rejected(a.agent.checkForUpdate())).reason, 'no-space');
    await publish(rig, await makeRelease(rig.work, '1.1.0'));
    a = agentFor(rig.base, srv.url);
    assert.is((await rejected(a.agent.checkForUpdate({ version: '1.1.0' }))).reason, 'release-rollback');
  });
});

test('a release whose manifest disagrees with its signed target is refused and not retried', async () => {
  const rig = await makeRig();
  const rel = await makeRelease(rig.work, '1.1.0');
  await publish(rig, { file: rel.file, manifest: { ...rel.manifest, version: '1.2.0' } });
  await withRepository(rig.repoDir, async (srv) => {
    const a = agentFor(rig.base, srv.url);
    const err = await rejected(a.agent.checkForUpdate());
    assert.is(err.reason, 'manifest-invalid');
    assert.match(err.detail, /version 1\.1\.0 ≠ 1\.2\.0/);
    assert.equal(readdirSync(join(rig.base, 'releases')), ['1.0.0']);
    assert.equal(await a.agent.checkForUpdate(), { kind: 'up-to-date', version: '1.0.0' });
  });
});

test('polling: start() schedules checks on the injected clock; an unreachable repository is a failed event', async () => {
  const rig = await makeRig();
  const timers: { fn: () => void; ms: number }[] = [];
  const clock = {
    ...systemClock,
    setTimeout: (fn: () => void, ms: number) => {
      timers.push({ fn, ms });
      return { cancel: () => undefined };
    },
  };
  const events: string[] = [];
  const agent = new OtaAgent({
    base: rig.base,
    stateDir: join(rig.base, 'state'),
    repoUrl: 'http://127.0.0.1:9',
    arch: 'linux-x64',
    nodeAbi: process.versions.modules,
    clock,
    log: createLogger({ sink: new MemorySink(), level: 'debug' }),
    lock: new UpdateLock(),
    health: () => Promise.resolve([]),
    restart: () => Promise.resolve(),
    pollIntervalMs: 3_600_000,
    fetchTimeoutMs: 2000,
  });
  agent.on((e) => events.push(e.type));
  await agent.start(new AbortController().signal);
  assert.equal(
    timers.map((t) => t.ms),
    [3_600_000],
  );
  timers[0]?.fn();
  await until(() => events.includes('failed'));
  assert.equal(
    timers.map((t) => t.ms),
    [3_600_000, 3_600_000],
    'the next poll is scheduled',
  );
  await agent.stop();
});

test.run();
