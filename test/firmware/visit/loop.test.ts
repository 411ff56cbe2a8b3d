import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { queryObjects } from 'node:v8';
import { MemorySink, createAuditLog, createLogger } from '../../../firmware/core/logger.ts';
import { systemClock } from '../../../firmware/platform/system-clock.ts';
import type { VisitDeps } from '../../../firmware/visit/deps.ts';
import { VisitLoop } from '../../../firmware/visit/loop.ts';
import { defaultVisitSettings } from '../../../firmware/visit/settings.ts';
import type { VisitOutcome } from '../../../firmware/visit/visit.ts';
import { SimGpio } from '../../../hardware-sim/gpio.ts';
import { ScriptedCard } from './doubles/card.ts';
import { CardEvents } from './doubles/card-events.ts';
import { testIdentity } from './doubles/cert.ts';
import { ScriptedFace } from './doubles/face.ts';
import { ScriptedFacility } from './doubles/facility.ts';
import { ScriptedFront } from './doubles/front.ts';
import { VERIFICATION_NUMBER_B, PHOTO } from './doubles/harness.ts';
import { ScriptedPatient, type PatientStep } from './doubles/patient.ts';

const reader = 'Virtual My Number reader';
const tick = (ms = 5): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function setup(
  steps: PatientStep[],
  cardCalls: string[],
  faceDecisions: ConstructorParameters<typeof ScriptedFace>[1],
  unreachable = false,
) {
  const identity = await testIdentity();
  const card = new ScriptedCard(
    { identity, pin: '1234', verificationNumberB: VERIFICATION_NUMBER_B, photo: PHOTO },
    ['open', ...cardCalls],
    systemClock,
  );
  const facility = new ScriptedFacility({ serial: identity.serial, unreachable }, ['qualify', 'prove', 'submitResult'], systemClock);
  const patient = new ScriptedPatient(steps);
  const face = new ScriptedFace(PHOTO, faceDecisions, systemClock, { decisionMs: 10 });
  const deps: VisitDeps = {
    readerId: 'reader-loop',
    cards: card,
    cardFront: new ScriptedFront(VERIFICATION_NUMBER_B, true),
    face,
    ui: patient,
    facility,
    staff: { check: () => Promise.reject(new Error('no staff in this scenario')) },
    clock: systemClock,
    log: createLogger({ sink: new MemorySink(), level: 'debug' }),
    audit: createAuditLog(new MemorySink()),
    settings: { ...defaultVisitSettings, timeouts: { ...defaultVisitSettings.timeouts, facilityMs: 200 } },
    newId: (() => {
      let n = 0;
      return () => `id-${++n}`;
    })(),
  };
  const events = new CardEvents();
  const ended: VisitOutcome[] = [];
  const gpio = new SimGpio();
  const loop = new VisitLoop({ reader: events, visit: deps, defaultLanguage: 'ja', gpio, onVisitEnd: (o) => ended.push(o) });
  return { loop, events, ended, patient, facility, gpio };
}

test('idle in English → card in → face → done until the card is taken → idle again in Japanese', async () => {
  const s = await setup(
    [
      { on: 'idle', press: 'lang-en' },
      { on: 'method', press: 'face' },
      { on: 'consent', press: 'all' },
    ],
    ['detect', 'readCertificate', 'readFacePhoto', 'signChallengeWithTerminalAuth'],
    [{ outcome: 'match', score: 0.9 }],
  );
  const stop = new AbortController();
  await s.loop.start(stop.signal);
  await tick();
  assert.is(s.patient.language, 'en');
  s.events.push({ type: 'inserted', reader, atr: new Uint8Array([0x3b]) });
  for (let i = 0; i < 200 && s.ended.length === 0; i++) await tick();
  assert.is(s.ended[0]?.result.outcome, 'accepted');
  await tick();
  assert.is(s.patient.current, 'done');
  assert.is(s.gpio.state().led, 'green');
  s.events.push({ type: 'removed', reader });
  await tick(20);
  assert.is(s.patient.current, 'idle');
  assert.is(s.patient.language, 'ja', 'language back to the default for the next patient');
  await s.loop.stop();
  s.events.close();
  assert.is(s.loop.visits, 1);
});

test('reader gone mid-visit → fallback guidance, health not ok; reader back → idle', async () => {
  const s = await setup([{ on: 'method', wait: true }], ['detect', 'readCertificate'], []);
  await s.loop.start(new AbortController().signal);
  s.events.push({ type: 'inserted', reader, atr: new Uint8Array([0x3b]) });
  for (let i = 0; i < 100 && s.patient.current !== 'method'; i++) await tick();
  s.events.push({ type: 'reader-gone', reader });
  for (let i = 0; i < 100 && s.ended.length === 0; i++) await tick();
  assert.is(s.ended[0]?.result.errorCode, 'READER_GONE');
  await tick(20);
  assert.is(s.patient.current, 'fallback');
  assert.equal((await s.loop.health())[0]?.ok, false);
  s.events.push({ type: 'reader-back', reader });
  await tick(20);
  assert.is(s.patient.current, 'idle');
  await s.loop.stop();
  s.events.close();
});

test('facility unreachable: fallback guidance, the patient looks at what to show, takes the card', async () => {
  const s = await setup(
    [
      { on: 'fallback', press: 'notice' },
      { on: 'fallback-notice', press: 'ok' },
      { on: 'fallback', press: 'neither' },
      { on: 'fallback-declaration', press: 'back' },
    ],
    ['detect', 'readCertificate'],
    [],
    true,
  );
  await s.loop.start(new AbortController().signal);
  s.events.push({ type: 'inserted', reader, atr: new Uint8Array([0x3b]) });
  for (let i = 0; i < 200 && s.patient.remaining.length > 0; i++) await tick();
  assert.is(s.ended[0]?.result.errorCode, 'FACILITY_UNREACHABLE');
  assert.equal(s.patient.screens.map((x) => x.screen).slice(-5), [
    'fallback',
    'fallback-notice',
    'fallback',
    'fallback-declaration',
    'fallback',
  ]);
  s.events.push({ type: 'removed', reader });
  await tick(20);
  assert.is(s.patient.current, 'idle');
  await s.loop.stop();
  s.events.close();
});

test('card events leave nothing behind: 400 events, no growing number of live promises (soak leak)', async () => {
  const s = await setup([], [], []);
  const stop = new AbortController();
  await s.loop.start(stop.signal);
  const pump = async (n: number): Promise<void> => {
    for (let i = 0; i < n; i++) {
      s.events.push({ type: 'reader-back', reader });
      await tick(0);
    }
    await tick(20);
  };
  await pump(50); // warm-up
  const before = queryObjects(Promise, { format: 'count' });
  await pump(400);
  const after = queryObjects(Promise, { format: 'count' });
  // Racing each event against one promise pending until shutdown kept ≈ 1 promise per event.
  assert.ok(after - before < 40, `live promises ${before} → ${after} over 400 card events`);
  await s.loop.stop();
  s.events.close();
});

test.run();
