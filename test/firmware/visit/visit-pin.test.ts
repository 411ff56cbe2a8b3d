import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { verify, X509Certificate } from 'node:crypto';
import { testIdentity } from './doubles/cert.ts';
import { runScenario } from './doubles/harness.ts';

const PIN_CARD = ['detect', 'readCertificate', 'pinTriesLeft', 'verifyPin', 'signChallenge'];

test('PIN ok: tries left shown before entry; signature over the facility challenge verifies', async () => {
  const identity = await testIdentity();
  const r = await runScenario({
    identity,
    cardCalls: PIN_CARD,
    patient: [
      { on: 'method', press: 'pin' },
      { on: 'pin', type: '1234' },
      { on: 'consent', press: 'all' },
    ],
  });
  assert.equal(r.patient.screens.find((s) => s.screen === 'pin')?.params, { triesLeft: 3, lastTry: false, wrong: false });
  const res = r.outcome.result;
  assert.is(res.method, 'pin');
  assert.is(res.outcome, 'accepted');
  const ok = verify(
    'sha256',
    Buffer.from(res.challenge ?? '', 'hex'),
    new X509Certificate(identity.der).publicKey,
    Buffer.from(res.signature ?? '', 'base64'),
  );
  assert.ok(ok, 'the recorded signature verifies against the certificate');
  assert.equal(r.card.calls, ['open', 'detect', 'readCertificate', 'pinTriesLeft', 'verifyPin', 'signChallenge']);
});

test('wrong PIN twice, explicit warning before the last try, then right', async () => {
  const r = await runScenario({
    identity: await testIdentity(),
    cardCalls: PIN_CARD,
    patient: [
      { on: 'method', press: 'pin' },
      { on: 'pin', type: '0000' },
      { on: 'pin', type: '1111' },
      { on: 'pin-warning-last-try', press: 'continue' },
      { on: 'pin', type: '1234' },
      { on: 'consent', press: 'all' },
    ],
  });
  const pins = r.patient.screens.filter((s) => s.screen === 'pin').map((s) => s.params.triesLeft);
  assert.equal(pins, [3, 2, 1]);
  assert.equal(
    r.patient.screens.filter((s) => s.screen === 'pin').map((s) => s.params.wrong),
    [false, true, true],
    'the pad says the last PIN was wrong',
  );
  assert.is(r.outcome.result.outcome, 'accepted');
  assert.is(r.card.tries, 3, 'counter reset by the right PIN');
  for (const typed of r.patient.typed)
    assert.ok(
      typed.every((b) => b === 0),
      'every PIN buffer wiped',
    );
});

test('last try: patient cancels at the warning → back to the method choice, no try spent', async () => {
  const r = await runScenario({
    identity: await testIdentity(),
    card: { pinTries: 1 },
    cardCalls: ['detect', 'readCertificate', 'pinTriesLeft'],
    patient: [
      { on: 'method', press: 'pin' },
      { on: 'pin-warning-last-try', press: 'cancel' },
      { on: 'method', wait: true },
    ],
  });
  assert.is(r.card.tries, 1);
  assert.is(r.outcome.result.errorCode, 'TIMEOUT');
});

test('PIN blocked during the visit → municipal-office guidance (fallback), result rejected', async () => {
  const r = await runScenario({
    identity: await testIdentity(),
    card: { pinTries: 1 },
    cardCalls: ['detect', 'readCertificate', 'pinTriesLeft', 'verifyPin'],
    patient: [
      { on: 'method', press: 'pin' },
      { on: 'pin-warning-last-try', press: 'continue' },
      { on: 'pin', type: '9999' },
      { on: 'pin-blocked', press: 'ok' },
    ],
  });
  assert.is(r.card.tries, 0);
  assert.is(r.outcome.result.outcome, 'rejected');
  assert.is(r.outcome.result.errorCode, 'PIN_BLOCKED');
  assert.is(r.outcome.ending.screen, 'fallback');
  assert.is(r.outcome.result.signature, undefined);
  assert.ok(r.audit.some((a) => a['audit'] === 'pin-blocked'));
});

test('card already blocked: no entry offered; staff check instead', async () => {
  const r = await runScenario({
    identity: await testIdentity(),
    card: { pinTries: 0 },
    cardCalls: ['detect', 'readCertificate', 'pinTriesLeft', 'readFacePhoto', 'signChallengeWithTerminalAuth'],
    staff: { check: () => Promise.resolve('ok') },
    patient: [
      { on: 'method', press: 'pin' },
      { on: 'pin-blocked', press: 'staff' },
      { on: 'staff-password', type: 'whatever-ok' },
      { on: 'staff-check', press: 'confirm' },
      { on: 'staff-done', press: 'return' },
      { on: 'consent', press: 'all' },
    ],
  });
  assert.not.ok(r.screens.includes('pin'));
  assert.is(r.outcome.result.method, 'staff');
});

test('PIN entry cancelled → method again → face instead', async () => {
  const r = await runScenario({
    identity: await testIdentity(),
    cardCalls: ['detect', 'readCertificate', 'pinTriesLeft', 'readFacePhoto', 'signChallengeWithTerminalAuth'],
    face: [{ outcome: 'match', score: 0.8 }],
    patient: [
      { on: 'method', press: 'pin' },
      { on: 'pin', cancel: true },
      { on: 'method', press: 'face' },
      { on: 'consent', press: 'all' },
    ],
  });
  assert.is(r.outcome.result.method, 'face');
  assert.is(r.card.tries, 3);
});

test.run();
