/**
 * Card pulled at each step, and each patient-facing timeout: the visit ends cancelled, one
 * result with nothing half-collected, every secret wiped, the card session released.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { PatientStep } from './doubles/patient.ts';
import { testIdentity } from './doubles/cert.ts';
import { runScenario, type Ran } from './doubles/harness.ts';

const ALL_CARD = [
  'detect',
  'readCertificate',
  'readFacePhoto',
  'signChallengeWithTerminalAuth',
  'pinTriesLeft',
  'verifyPin',
  'signChallenge',
];
const pull = (on: PatientStep['on']): PatientStep => ({ on, pull: true });

function assertCancelledCleanly(r: Ran, code: string): void {
  const res = r.outcome.result;
  assert.is(res.outcome, 'cancelled');
  assert.is(res.errorCode, code);
  assert.is(res.consent, undefined, 'no half-collected consent sent');
  assert.is(res.signature, undefined);
  assert.is(res.prescription, undefined);
  assert.is(r.facility.results.length, 1);
  assert.is(r.card.released, 1);
  assert.is(r.face.enrolled, undefined);
  for (const typed of r.patient.typed) assert.ok(typed.every((b) => b === 0));
  for (const s of r.patient.screens) if (s.params.photo) assert.ok(s.params.photo.every((b) => b === 0));
}

const pulls: [string, PatientStep[], object][] = [
  ['registration offer', [pull('registration-offer')], { facility: { registered: false } }],
  ['method choice', [pull('method')], {}],
  ['PIN pad', [{ on: 'method', press: 'pin' }, pull('pin')], {}],
  ['PIN pad after a wrong PIN', [{ on: 'method', press: 'pin' }, { on: 'pin', type: '0000' }, pull('pin')], {}],
  ['face failed offer', [{ on: 'method', press: 'face' }, pull('face-failed')], { face: [{ outcome: 'spoof' }] }],
  [
    'staff password',
    [{ on: 'method', press: 'face' }, { on: 'face-failed', press: 'staff' }, pull('staff-password')],
    { face: [{ outcome: 'spoof' }] },
  ],
  [
    'staff check',
    [
      { on: 'method', press: 'face' },
      { on: 'face-failed', press: 'staff' },
      { on: 'staff-password', type: 'pw-pw-pw' },
      pull('staff-check'),
    ],
    { face: [{ outcome: 'spoof' }], staff: { check: () => Promise.resolve('ok') } },
  ],
  ['consent', [{ on: 'method', press: 'face' }, pull('consent')], { face: [{ outcome: 'match', score: 1 }] }],
  [
    'consent item',
    [{ on: 'method', press: 'face' }, { on: 'consent', press: 'individual' }, { on: 'consent-item', press: 'agree' }, pull('consent-item')],
    { face: [{ outcome: 'match', score: 1 }] },
  ],
  [
    'consent reuse',
    [{ on: 'method', press: 'face' }, pull('consent-reuse')],
    {
      face: [{ outcome: 'match', score: 1 }],
      facility: { previousConsent: { mode: 'all', items: { surgery: true }, at: '2026-01-01T00:00:00Z' } },
    },
  ],
  [
    'e-prescription',
    [{ on: 'method', press: 'face' }, { on: 'consent', press: 'all' }, pull('prescription')],
    { face: [{ outcome: 'match', score: 1 }], facility: { ePrescription: true } },
  ],
];

for (const [where, patient, extra] of pulls) {
  test(`card pulled on ${where}: cancelled cleanly`, async () => {
    const r = await runScenario({ identity: await testIdentity(), cardCalls: ALL_CARD, patient, ...extra });
    assertCancelledCleanly(r, 'CARD_REMOVED');
    assert.is(r.outcome.ending.screen, 'idle');
    assert.is(r.patient.remaining.length, 0);
  });
}

test('card pulled while the certificate is being read', async () => {
  const r = await runScenario({
    identity: await testIdentity(),
    card: { slowCertificateMs: 3_000 },
    cardCalls: ALL_CARD,
    facilityCalls: ['submitResult'],
    patient: [],
    pullAtMs: 1_000,
  });
  assertCancelledCleanly(r, 'CARD_REMOVED');
  assert.is(r.outcome.result.certificateSerial, undefined);
});

test('card pulled during a face attempt', async () => {
  const r = await runScenario({
    identity: await testIdentity(),
    cardCalls: ALL_CARD,
    face: [{ outcome: 'match', score: 1 }],
    faceDecisionMs: 5_000,
    patient: [{ on: 'method', press: 'face' }],
    pullAtMs: 2_000,
  });
  assertCancelledCleanly(r, 'CARD_REMOVED');
  assert.is(r.outcome.result.method, null, 'no decision was made');
});

test('card pulled while the facility is being asked', async () => {
  const r = await runScenario({
    identity: await testIdentity(),
    cardCalls: ALL_CARD,
    facility: { unreachable: true },
    patient: [],
    pullAtMs: 1_000,
  });
  assertCancelledCleanly(r, 'CARD_REMOVED');
});

const timeouts: [string, PatientStep[], object, number][] = [
  ['method choice', [{ on: 'method', wait: true }], {}, 60_000],
  [
    'PIN entry',
    [
      { on: 'method', press: 'pin' },
      { on: 'pin', wait: true },
    ],
    {},
    60_000,
  ],
  [
    'consent',
    [
      { on: 'method', press: 'face' },
      { on: 'consent', wait: true },
    ],
    { face: [{ outcome: 'match', score: 1 }] },
    60_000,
  ],
  ['registration offer', [{ on: 'registration-offer', wait: true }], { facility: { registered: false } }, 60_000],
  [
    'staff visual check',
    [
      { on: 'method', press: 'face' },
      { on: 'face-failed', press: 'staff' },
      { on: 'staff-password', type: 'pw-pw-pw' },
      { on: 'staff-check', wait: true },
    ],
    { face: [{ outcome: 'spoof' }], staff: { check: () => Promise.resolve('ok') } },
    120_000,
  ],
];

for (const [where, patient, extra, ms] of timeouts) {
  test(`timeout on ${where} after ${ms / 1000} s → timeout screen, cancelled`, async () => {
    const r = await runScenario({ identity: await testIdentity(), cardCalls: ALL_CARD, patient, ...extra });
    assertCancelledCleanly(r, 'TIMEOUT');
    assert.is(r.outcome.ending.screen, 'timeout');
    const lastScreen = r.events.filter((e) => e.type === 'screen').at(-1);
    const ended = r.events.find((e) => e.type === 'result');
    assert.ok(
      lastScreen && ended && ended.at - lastScreen.at >= ms && ended.at - lastScreen.at < ms + 1_000,
      `ended ${ms} ms after the last screen`,
    );
  });
}

test('face attempt over its time limit counts as a failed attempt (never hangs)', async () => {
  const r = await runScenario({
    identity: await testIdentity(),
    cardCalls: ALL_CARD,
    face: [{ outcome: 'match', score: 1 }],
    faceDecisionMs: 30_000,
    settings: { faceMaxFailures: 1 },
    patient: [
      { on: 'method', press: 'face' },
      { on: 'face-failed', press: 'pin' },
      { on: 'pin', type: '1234' },
      { on: 'consent', press: 'all' },
    ],
  });
  assert.is(r.outcome.result.method, 'pin');
  assert.ok(r.audit.some((a) => a['audit'] === 'face-attempt' && a['outcome'] === 'budget'));
});

test.run();
