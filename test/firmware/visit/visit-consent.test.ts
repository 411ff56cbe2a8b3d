import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { testIdentity } from './doubles/cert.ts';
import { runScenario } from './doubles/harness.ts';

const FACE = {
  cardCalls: ['detect', 'readCertificate', 'readFacePhoto', 'signChallengeWithTerminalAuth'],
  face: [{ outcome: 'match' as const, score: 0.8 }],
};

test('individual consent mix, items from the facility (data-driven)', async () => {
  const r = await runScenario({
    identity: await testIdentity(),
    ...FACE,
    facility: { consentItems: ['surgery', 'treatment', 'medication', 'checkups', 'diagnoses'] },
    patient: [
      { on: 'method', press: 'face' },
      { on: 'consent', press: 'individual' },
      { on: 'consent-item', press: 'agree' },
      { on: 'consent-item', press: 'disagree' },
      { on: 'consent-item', press: 'agree' },
      { on: 'consent-item', press: 'disagree' },
      { on: 'consent-item', press: 'agree' },
    ],
  });
  assert.equal(
    r.patient.screens.filter((s) => s.screen === 'consent-item').map((s) => s.params.item),
    ['surgery', 'treatment', 'medication', 'checkups', 'diagnoses'],
  );
  assert.equal(
    r.outcome.result.consent,
    {
      mode: 'individual',
      items: { surgery: true, treatment: false, medication: true, checkups: false, diagnoses: true },
      at: '2026-04-01T09:00:00.800Z',
    },
    'consent time = after the 800 ms face decision',
  );
});

const previous = {
  mode: 'individual' as const,
  items: { surgery: false, treatment: true, medication: true },
  at: '2026-01-10T10:00:00.000Z',
};

test('revisit: previous consent shown, reused; an item added since is asked alone', async () => {
  const r = await runScenario({
    identity: await testIdentity(),
    ...FACE,
    facility: { consentItems: ['surgery', 'treatment', 'medication', 'checkups'], previousConsent: previous },
    patient: [
      { on: 'method', press: 'face' },
      { on: 'consent-reuse', press: 'reuse' },
      { on: 'consent-item', press: 'agree' },
    ],
  });
  assert.equal(r.patient.screens.find((s) => s.screen === 'consent-reuse')?.params.previous, previous.items);
  assert.equal(r.outcome.result.consent?.items, { surgery: false, treatment: true, medication: true, checkups: true });
  assert.is(r.outcome.result.consent?.mode, 'reused');
});

test('revisit: choose again → all', async () => {
  const r = await runScenario({
    identity: await testIdentity(),
    ...FACE,
    facility: { consentItems: ['surgery', 'treatment'], previousConsent: previous },
    patient: [
      { on: 'method', press: 'face' },
      { on: 'consent-reuse', press: 'choose-again' },
      { on: 'consent', press: 'all' },
    ],
  });
  assert.equal(r.outcome.result.consent?.items, { surgery: true, treatment: true });
  assert.is(r.outcome.result.consent?.mode, 'all');
});

test('e-prescription where the facility supports it', async () => {
  const r = await runScenario({
    identity: await testIdentity(),
    ...FACE,
    facility: { ePrescription: true },
    patient: [
      { on: 'method', press: 'face' },
      { on: 'consent', press: 'all' },
      { on: 'prescription', press: 'electronic' },
    ],
  });
  assert.is(r.outcome.result.prescription, 'electronic');
});

test('unregistered card: registration offered, carried out only after the identity check', async () => {
  const r = await runScenario({
    identity: await testIdentity(),
    ...FACE,
    facility: { registered: false },
    facilityCalls: ['qualify', 'prove', 'register', 'submitResult'],
    patient: [
      { on: 'registration-offer', press: 'register' },
      { on: 'method', press: 'face' },
      { on: 'consent', press: 'all' },
    ],
  });
  assert.equal(
    r.facility.calls,
    ['qualify', 'prove', 'register', 'submitResult'],
    'face mode proves the card signature before registering',
  );
  const order = r.events.map((e) => (e.type === 'decision' ? 'decision' : e.type === 'state' ? e.state : '')).filter(Boolean);
  assert.ok(order.indexOf('decision') < order.indexOf('register'), 'registered after the decision');
  assert.is(r.outcome.result.registeredNow, true);
  assert.ok(r.screens.includes('registration-done'));
});

test('unregistered card, registration declined: guidance, nothing registered', async () => {
  const r = await runScenario({
    identity: await testIdentity(),
    cardCalls: ['detect', 'readCertificate'],
    facility: { registered: false },
    patient: [{ on: 'registration-offer', press: 'decline' }],
  });
  assert.is(r.outcome.result.outcome, 'fallback');
  assert.is(r.outcome.ending.screen, 'not-registered');
  assert.is(r.facility.registered, false);
});

test.run();
