/**
 * The OTA agent as `kaoreader run` composes it (cli/ota-compose.ts): a real agent against a
 * signed repository on 127.0.0.1, the shared UpdateLock held by a real VisitLoop, and the
 * facility check-update command going through the CommandDispatcher to the agent.
 */
import { readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { defaultConfig } from '../../firmware/config/load.ts';
import type { Config } from '../../firmware/config/schema.ts';
import { MemorySink, createAuditLog, createLogger } from '../../firmware/core/logger.ts';
import { signCommand } from '../../firmware/facility/commands/sign.ts';
import { CommandDispatcher } from '../../firmware/facility/link/commands.ts';
import { systemClock } from '../../firmware/platform/system-clock.ts';
import type { VisitDeps } from '../../firmware/visit/deps.ts';
import { VisitLoop } from '../../firmware/visit/loop.ts';
import { defaultVisitSettings } from '../../firmware/visit/settings.ts';
import type { VisitOutcome } from '../../firmware/visit/visit.ts';
import type { OtaEvent } from '../../ota/agent/events.ts';
import { composeOta } from '../../cli/ota-compose.ts';
import { ScriptedCard } from '../firmware/visit/doubles/card.ts';
import { CardEvents } from '../firmware/visit/doubles/card-events.ts';
import { testIdentity } from '../firmware/visit/doubles/cert.ts';
import { ScriptedFace } from '../firmware/visit/doubles/face.ts';
import { ScriptedFacility } from '../firmware/visit/doubles/facility.ts';
import { ScriptedFront } from '../firmware/visit/doubles/front.ts';
import { VERIFICATION_NUMBER_B, PHOTO } from '../firmware/visit/doubles/harness.ts';
import { ScriptedPatient } from '../firmware/visit/doubles/patient.ts';
import { TEST_COMMAND_KEY, testTrust } from '../firmware/facility/link/helpers.ts';
import { until } from '../ota/support/agent-for.ts';
import { makeRelease, makeRig, publish } from '../ota/support/fixture.ts';
import { serveRepository } from '../ota/support/http-repo.ts';

const reader = 'Virtual My Number reader';
const log = createLogger({ sink: new MemorySink(), level: 'debug' });

function configFor(base: string, repositoryUrl: string): Config {
  const c = defaultConfig();
  // The daemon's OTA state lives in reader.stateDir (the rig puts the trusted root in base/state).
  return {
    ...c,
    reader: { ...c.reader, stateDir: join(base, 'state') },
    ota: { ...c.ota, base, repositoryUrl, pollIntervalMs: 0, healthWindowMs: 10 },
  };
}

async function loopWith(lock: VisitLoop['deps']['updateLock']) {
  const identity = await testIdentity();
  const card = new ScriptedCard(
    { identity, pin: '1234', verificationNumberB: VERIFICATION_NUMBER_B, photo: PHOTO },
    ['open', 'detect', 'readCertificate'],
    systemClock,
  );
  const facility = new ScriptedFacility({ serial: identity.serial }, ['qualify'], systemClock);
  const patient = new ScriptedPatient([{ on: 'method', wait: true }]);
  const deps: VisitDeps = {
    readerId: 'reader-ota',
    cards: card,
    cardFront: new ScriptedFront(VERIFICATION_NUMBER_B, true),
    face: new ScriptedFace(PHOTO, [], systemClock),
    ui: patient,
    facility,
    staff: { check: () => Promise.reject(new Error('no staff in this scenario')) },
    clock: systemClock,
    log,
    audit: createAuditLog(new MemorySink()),
    settings: defaultVisitSettings,
    newId: () => 'id-1',
  };
  const events = new CardEvents();
  const ended: VisitOutcome[] = [];
  const loop = new VisitLoop({
    reader: events,
    visit: deps,
    defaultLanguage: 'ja',
    onVisitEnd: (o) => ended.push(o),
    ...(lock ? { updateLock: lock } : {}),
  });
  return { loop, events, ended, patient };
}

test('an update found during a visit is deferred; after the card is taken it switches, restarts, shows "updating"', async () => {
  const rig = await makeRig();
  await publish(rig, await makeRelease(rig.work, '1.1.0'));
  const srv = await serveRepository(rig.repoDir);
  const restarts: string[] = [];
  const ota = composeOta(configFor(rig.base, srv.url), systemClock, log, {
    health: () => Promise.resolve([{ name: 'card-reader', ok: true, detail: 'present' }]),
    restart: (why) => {
      restarts.push(why);
      return Promise.resolve();
    },
  });
  const agent = ota.agent;
  if (!agent) throw new Error('agent expected with a repository configured');
  const events: OtaEvent[] = [];
  agent.on((e) => events.push(e));
  const s = await loopWith(ota.lock);
  ota.attach(s.loop);
  try {
    await agent.start(new AbortController().signal);
    await s.loop.start(new AbortController().signal);
    s.events.push({ type: 'inserted', reader, atr: new Uint8Array([0x3b]) });
    await until(() => s.patient.current === 'method');
    assert.equal(await agent.checkForUpdate(), { kind: 'deferred', version: '1.1.0' });
    assert.is(readlinkSync(join(rig.base, 'current')), 'releases/1.0.0', 'no switch while the visit holds the lock');
    assert.equal(restarts, []);
    s.events.push({ type: 'removed', reader });
    await until(() => s.ended.length === 1 && s.patient.current === 'idle');
    assert.equal(await agent.checkForUpdate({ version: '1.1.0' }), { kind: 'switched', version: '1.1.0' });
    assert.is(readlinkSync(join(rig.base, 'current')), 'releases/1.1.0');
    assert.equal(restarts, ['update']);
    assert.ok(ota.lock.updating);
    await until(() => s.patient.current === 'updating');
    // a card now does not start a visit: the release is being replaced
    s.events.push({ type: 'inserted', reader, atr: new Uint8Array([0x3b]) });
    await new Promise((r) => setTimeout(r, 30));
    assert.is(s.patient.current, 'updating');
    assert.is(s.loop.visits, 1);
    assert.ok(events.some((e) => e.type === 'deferred'));
  } finally {
    await s.loop.stop();
    s.events.close();
    await agent.stop();
    await srv.close();
  }
});

test('facility check-update command reaches the agent; without a repository it is refused', async () => {
  const rig = await makeRig();
  const srv = await serveRepository(rig.repoDir);
  const ota = composeOta(configFor(rig.base, srv.url), systemClock, log, {
    health: () => Promise.resolve([]),
    restart: () => Promise.resolve(),
  });
  const agent = ota.agent;
  if (!agent) throw new Error('agent expected');
  const events: OtaEvent[] = [];
  agent.on((e) => events.push(e));
  const cmd = (id: string): Uint8Array =>
    signCommand(
      { command: 'check-update', args: {} },
      { key: TEST_COMMAND_KEY.privateKey, facilityId: 'clinic-1', readerId: 'reader-1', now: Date.now(), id },
    ).payload;
  const settings = { setFacilityName: () => Promise.resolve(), setStaffPasswordHash: () => Promise.resolve() };
  try {
    const d = new CommandDispatcher({
      readerId: 'reader-1',
      facilityId: 'clinic-1',
      trust: testTrust(),
      settings,
      system: ota.system,
      clock: systemClock,
      log,
    });
    const { reply } = await d.handle(cmd('0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a51'));
    assert.is(reply.ok, true, JSON.stringify(reply.error));
    assert.equal(reply.result, { checking: true });
    await until(() => events.some((e) => e.type === 'up-to-date'));
    assert.equal(events[0], { type: 'checking', source: 'facility' });
    const none = composeOta(defaultConfig(), systemClock, log, undefined);
    assert.is(none.agent, undefined);
    const d2 = new CommandDispatcher({
      readerId: 'reader-1',
      facilityId: 'clinic-1',
      trust: testTrust(),
      settings,
      system: none.system,
      clock: systemClock,
      log,
    });
    assert.is((await d2.handle(cmd('0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a52'))).reply.error?.code, 'UNSUPPORTED_COMMAND');
  } finally {
    await agent.stop();
    await srv.close();
  }
});

test.run();
