import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { testIdentity } from './doubles/cert.ts';
import { runScenario } from './doubles/harness.ts';

test('facility unreachable → fallback guidance (Mynaportal / 資格情報のお知らせ / staff / 申立書), one fallback result', async () => {
  const r = await runScenario({
    identity: await testIdentity(),
    cardCalls: ['detect', 'readCertificate'],
    facility: { unreachable: true },
    patient: [],
  });
  assert.is(r.outcome.ending.screen, 'fallback');
  assert.is(r.outcome.ending.errorCode, 'FACILITY_UNREACHABLE');
  assert.is(r.outcome.result.outcome, 'fallback');
  assert.is(r.outcome.result.segment, 9);
  assert.is(r.facility.results.length, 1, 'the record still goes to the durable outbox');
});

test('not a My Number Card → its own screen, result error, no certificate', async () => {
  const r = await runScenario({
    identity: await testIdentity(),
    card: { myNumberCard: false },
    cardCalls: ['detect'],
    facilityCalls: ['submitResult'],
    patient: [],
  });
  assert.is(r.outcome.ending.screen, 'not-my-number-card');
  assert.is(r.outcome.result.errorCode, 'NOT_MY_NUMBER_CARD');
  assert.is(r.outcome.result.certificateSerial, undefined);
});

test('expired certificate → card-expired screen, the facility is not asked', async () => {
  const r = await runScenario({
    identity: await testIdentity('expired'),
    cardCalls: ['detect', 'readCertificate'],
    facilityCalls: ['submitResult'],
    patient: [],
  });
  assert.is(r.outcome.ending.screen, 'card-expired');
  assert.is(r.outcome.result.errorCode, 'CERT_EXPIRED');
  assert.is(r.outcome.result.outcome, 'error');
});

test('card that does not answer within cardMs → card-unreadable guidance', async () => {
  const r = await runScenario({
    identity: await testIdentity(),
    card: { slowCertificateMs: 60_000 },
    cardCalls: ['detect', 'readCertificate'],
    facilityCalls: ['submitResult'],
    patient: [],
  });
  assert.is(r.outcome.ending.screen, 'card-unreadable');
  assert.is(r.outcome.result.errorCode, 'CARD_UNREADABLE');
  const ended = r.events.find((e) => e.type === 'result');
  assert.ok(ended && ended.at >= 5_000 && ended.at < 6_000, 'ended at the 5 s card timeout');
});

test('staff: wrong password, then locked by the rate limit → fallback; never accepted', async () => {
  const verdicts: ('wrong' | 'locked')[] = ['wrong', 'locked'];
  const r = await runScenario({
    identity: await testIdentity(),
    cardCalls: ['detect', 'readCertificate'],
    staff: { check: () => Promise.resolve(verdicts.shift() ?? 'locked') },
    face: [],
    front: 'unreadable',
    patient: [
      { on: 'method', press: 'face' },
      { on: 'face-failed', press: 'staff' },
      { on: 'staff-password', type: 'guess-1' },
      { on: 'staff-password', type: 'guess-2' },
    ],
  });
  assert.equal(
    r.patient.screens.filter((s) => s.screen === 'staff-password').map((s) => s.params.wrong),
    [false, true],
  );
  assert.is(r.outcome.result.errorCode, 'STAFF_LOCKED');
  assert.is(r.outcome.result.outcome, 'fallback');
  assert.is(r.outcome.result.method, null);
});

test('staff rejects the patient at the visual check → rejected, method staff', async () => {
  const r = await runScenario({
    identity: await testIdentity(),
    cardCalls: ['detect', 'readCertificate', 'readFacePhoto'],
    face: [{ outcome: 'spoof' }],
    staff: { check: () => Promise.resolve('ok') },
    patient: [
      { on: 'method', press: 'face' },
      { on: 'face-failed', press: 'staff' },
      { on: 'staff-password', type: 'good-pass' },
      { on: 'staff-check', press: 'reject' },
      { on: 'staff-done', wait: true },
    ],
  });
  assert.is(r.outcome.result.outcome, 'rejected');
  assert.is(r.outcome.result.method, 'staff');
  assert.is(r.outcome.result.errorCode, 'STAFF_REJECTED');
});

test('no staff password set by facility IT → staff mode unavailable, fallback guidance', async () => {
  const r = await runScenario({
    identity: await testIdentity(),
    cardCalls: ['detect', 'readCertificate', 'pinTriesLeft'],
    card: { pinTries: 0 },
    staff: { check: () => Promise.resolve('unset') },
    patient: [
      { on: 'method', press: 'pin' },
      { on: 'pin-blocked', press: 'staff' },
      { on: 'staff-password', type: 'anything' },
    ],
  });
  assert.is(r.outcome.result.errorCode, 'STAFF_UNAVAILABLE');
});

test('the card is read while the card-reading screen is drawn, not after it', async () => {
  const r = await runScenario({
    identity: await testIdentity(),
    cardCalls: ['detect', 'readCertificate'],
    patient: [{ on: 'method', pull: true }],
    drawMs: 200,
  });
  const drawn = r.patient.screens.find((s) => s.screen === 'card-reading')?.at ?? -1;
  const read = r.card.callsAt[r.card.calls.indexOf('readCertificate')] ?? Infinity;
  assert.ok(read < drawn, `certificate read at ${read}, card-reading on the panel at ${drawn}`);
  assert.is(r.outcome.result.errorCode, 'CARD_REMOVED');
});

test.run();
