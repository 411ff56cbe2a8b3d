/**
 * The facility's refusals reach the patient as the matching guidance screen: a certificate the
 * facility finds revoked (or expired, or from an unknown CA) at qualify, a proof it refuses
 * after the PIN. Nothing is registered or consented after a refused proof, and the result
 * carries no proof.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { testIdentity } from './doubles/cert.ts';
import { runScenario } from './doubles/harness.ts';

const PIN_CARD = ['detect', 'readCertificate', 'pinTriesLeft', 'verifyPin', 'signChallenge'];

for (const [code, screen] of [
  ['CERTIFICATE_REVOKED', 'card-expired'],
  ['CERTIFICATE_EXPIRED', 'card-expired'],
  ['CERTIFICATE_UNTRUSTED', 'card-unreadable'],
] as const) {
  test(`qualify refused with ${code} → ${screen}`, async () => {
    const r = await runScenario({
      identity: await testIdentity(),
      cardCalls: ['detect', 'readCertificate'],
      facility: { refuseQualify: code },
      facilityCalls: ['qualify', 'submitResult'],
      patient: [],
    });
    assert.is(r.outcome.ending.screen, screen);
    assert.is(r.outcome.result.errorCode, code);
    assert.is(r.outcome.result.outcome, 'error');
  });
}

test('the PIN-mode proof is shown to the facility after the signature, before consent', async () => {
  const r = await runScenario({
    identity: await testIdentity(),
    cardCalls: PIN_CARD,
    patient: [
      { on: 'method', press: 'pin' },
      { on: 'pin', type: '1234' },
      { on: 'consent', press: 'all' },
    ],
  });
  assert.equal(r.facility.calls, ['qualify', 'prove', 'submitResult']);
  assert.is(r.facility.proofs[0]?.challenge, r.outcome.result.challenge);
  assert.is(r.outcome.result.outcome, 'accepted');
});

for (const code of ['CHALLENGE_EXPIRED', 'SIGNATURE_INVALID', 'CERTIFICATE_REVOKED']) {
  test(`proof refused with ${code} → its screen, no consent asked, no proof in the result`, async () => {
    const r = await runScenario({
      identity: await testIdentity(),
      cardCalls: PIN_CARD,
      facility: { refuseProof: code },
      patient: [
        { on: 'method', press: 'pin' },
        { on: 'pin', type: '1234' },
      ],
    });
    assert.is(r.outcome.result.errorCode, code);
    assert.is(
      r.outcome.ending.screen,
      code === 'CHALLENGE_EXPIRED' ? 'fallback' : code === 'SIGNATURE_INVALID' ? 'card-unreadable' : 'card-expired',
    );
    assert.is(r.outcome.result.signature, undefined);
    assert.not.ok(
      r.patient.screens.some((s) => s.screen === 'consent'),
      'no consent after a refused proof',
    );
  });
}

test.run();
