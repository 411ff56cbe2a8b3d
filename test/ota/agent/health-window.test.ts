/**
 * The end of the health window decides with the self-test: a critical check failing (here the
 * real storage check on a folder that cannot be written) rolls back; an unreachable facility
 * (critical: false) is reported with the commit and does not; a visit in progress defers the
 * self-test (it uses the camera, the models and the screen) until the visit ends.
 */
import { readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runSelfTest } from '../../../firmware/daemon/self-test.ts';
import type { HealthCheck } from '../../../firmware/ports/service.ts';
import { systemClock } from '../../../firmware/platform/system-clock.ts';
import { agentFor, until } from '../support/agent-for.ts';
import { makeRelease, makeRig, publish } from '../support/fixture.ts';
import { withRepository } from '../support/http-repo.ts';

const UNREACHABLE: HealthCheck = { name: 'facility-link', critical: false, ok: false, detail: 'not connected to the facility broker' };

async function switchedRig(): Promise<{
  rig: Awaited<ReturnType<typeof makeRig>>;
  url: (f: (url: string) => Promise<void>) => Promise<void>;
}> {
  const rig = await makeRig();
  await publish(rig, await makeRelease(rig.work, '1.1.0'));
  return { rig, url: (f) => withRepository(rig.repoDir, (srv) => f(srv.url)) };
}

test('facility unreachable during the trial: committed, the warning reported', async () => {
  const { rig, url } = await switchedRig();
  await url(async (u) => {
    const a = agentFor(rig.base, u);
    await a.agent.start(new AbortController().signal);
    await a.agent.checkForUpdate();
    const storage = (): Promise<HealthCheck[]> => runSelfTest({ stateDir: rig.base }, { clock: systemClock });
    const b = agentFor(rig.base, u, { health: async () => [...(await storage()), UNREACHABLE] });
    await b.agent.start(new AbortController().signal);
    await until(() => b.events.some((e) => e.type === 'committed' || e.type === 'restarting'));
    const done = b.events.find((e) => e.type === 'committed');
    assert.ok(done && done.type === 'committed', `committed, not rolled back: ${JSON.stringify(b.events.map((e) => e.type))}`);
    assert.equal(done.warnings, ['facility-link (not connected to the facility broker)']);
    assert.is(readlinkSync(join(rig.base, 'current')), 'releases/1.1.0');
    await b.agent.stop();
  });
});

test('a critical check failing (state folder not writable) rolls back, whatever the facility says', async () => {
  const { rig, url } = await switchedRig();
  await url(async (u) => {
    const a = agentFor(rig.base, u);
    await a.agent.start(new AbortController().signal);
    await a.agent.checkForUpdate();
    const file = join(rig.work, 'not-a-dir');
    writeFileSync(file, 'x');
    const b = agentFor(rig.base, u, {
      health: async () => [
        ...(await runSelfTest({ stateDir: join(file, 'state') }, { clock: systemClock })),
        { ...UNREACHABLE, ok: true, detail: 'connected' },
      ],
    });
    await b.agent.start(new AbortController().signal);
    await until(() => b.restarts.includes('rollback'));
    assert.is(readlinkSync(join(rig.base, 'current')), 'releases/1.0.0');
    await b.agent.stop();
    const c = agentFor(rig.base, u);
    await c.agent.start(new AbortController().signal);
    const rb = c.events.find((e) => e.type === 'rolled-back');
    assert.ok(rb && rb.type === 'rolled-back' && /self-test failed: storage \(.*ENOTDIR/.test(rb.reason), JSON.stringify(rb));
    await c.agent.stop();
  });
});

test('a visit in progress at the end of the window defers the self-test until it ends', async () => {
  const { rig, url } = await switchedRig();
  await url(async (u) => {
    const a = agentFor(rig.base, u);
    await a.agent.start(new AbortController().signal);
    await a.agent.checkForUpdate();
    let ran = 0;
    const b = agentFor(rig.base, u, {
      busyRetryMs: 100,
      health: () => {
        ran++;
        return Promise.resolve([{ name: 'camera', ok: true, detail: 'frame' }]);
      },
    });
    const visit = b.lock.tryBeginVisit();
    assert.ok(visit);
    await b.agent.start(new AbortController().signal);
    await new Promise((r) => setTimeout(r, 400));
    assert.is(ran, 0, 'no self-test while the visit runs');
    assert.not.ok(b.events.some((e) => e.type === 'committed'));
    visit?.();
    await until(() => b.events.some((e) => e.type === 'committed'));
    assert.is(ran, 1);
    assert.ok(b.lock.tryBeginVisit(), 'the lock is free again after the self-test');
    await b.agent.stop();
  });
});

test.run();
