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

for (const [code, screen] of [['CERTIFICATE_REVOKED', 'card-expired'], ['CERTIFICATE_EXPIRED', 'card-expired'], ['CERTIFICATE_UNTRUSTED', 'card-unreadable']] as const) {
  test(`qualify refused with ${code} → ${screen}`, async () => {
    const r = await runScenario({ identity: await testIdentity(), cardCalls: ['detect', 'readCertificate'], facility: { refuseQualify: code }, facilityCalls: ['qualify', 'submitResult'], patient: [{ on: 'method', wait: true }] });
    assert.is(r.outcome.ending.screen, screen);
    assert.is(r.outcome.result.errorCode, code);
    assert.is(r.outcome.result.outcome, 'error');
  });
}

/** When each state was entered and each screen asked for, ms after the visit began. */
function timeline(r: Awaited<ReturnType<typeof runScenario>>): { state: (s: string) => number | undefined; screen: (s: string) => number | undefined } {
  const t0 = r.events[0]?.at ?? 0;
  const at = (f: (e: (typeof r.events)[number]) => boolean): number | undefined => {
    const e = r.events.find(f);
    return e ? e.at - t0 : undefined;
  };
  return { state: (s) => at((e) => e.type === 'state' && e.state === s), screen: (s) => at((e) => e.type === 'screen' && e.screen === s) };
}

test('the method screen comes before the facility answers; a choice made meanwhile waits for the answer', async () => {
  const r = await runScenario({
    identity: await testIdentity(), cardCalls: PIN_CARD, facility: { answerMs: 3_000 },
    patient: [{ on: 'method', press: 'pin' }, { on: 'pin', type: '1234' }, { on: 'consent', press: 'all' }],
  });
  const t = timeline(r);
  assert.ok((t.screen('method') ?? Infinity) < 3_000, `method asked for at ${t.screen('method')} ms, before the answer at 3000 ms`);
  assert.ok((t.state('pin') ?? 0) >= 3_000, `the PIN step began at ${t.state('pin')} ms, after the answer`);
  assert.equal(r.patient.screens.map((s) => s.screen).slice(0, 4), ['card-reading', 'method', 'card-reading', 'pin'], 'chosen before the answer: the reader says it is still working');
  assert.is(r.outcome.result.outcome, 'accepted');
});

test('a card the facility refuses after the method screen was shown and a method chosen: its screen, nothing started, decided or signed', async () => {
  // cardCalls: only the card step's calls; a PIN status, a signature or a card-face read would fail the scripted card.
  const r = await runScenario({
    identity: await testIdentity(), cardCalls: ['detect', 'readCertificate'], facility: { answerMs: 3_000, refuseQualify: 'CERTIFICATE_REVOKED' },
    facilityCalls: ['qualify', 'submitResult'], patient: [{ on: 'method', press: 'face' }],
  });
  assert.is(r.outcome.result.errorCode, 'CERTIFICATE_REVOKED');
  assert.is(r.outcome.ending.screen, 'card-expired');
  assert.is(r.outcome.result.outcome, 'error');
  assert.ok(r.patient.screens.some((s) => s.screen === 'method'), 'the method screen was shown');
  const t = timeline(r);
  assert.is(t.state('face'), undefined, 'the face step never began');
  assert.not.ok(r.events.some((e) => e.type === 'decision'), 'nothing decided');
  assert.is(r.outcome.result.signature, undefined);
  assert.is(r.outcome.result.method, null);
});

test('refused while the patient reads the method screen: the visit ends then, without waiting for a choice', async () => {
  const r = await runScenario({
    identity: await testIdentity(), cardCalls: ['detect', 'readCertificate'], facility: { answerMs: 500, refuseQualify: 'CERTIFICATE_REVOKED' },
    facilityCalls: ['qualify', 'submitResult'], patient: [{ on: 'method', wait: true }],
  });
  assert.is(r.outcome.result.errorCode, 'CERTIFICATE_REVOKED');
  const ended = r.events.find((e) => e.type === 'result');
  const t0 = r.events[0]?.at ?? 0;
  assert.ok(ended && ended.at - t0 < 5_000, `ended ${ended ? ended.at - t0 : '?'} ms after the start, not after the 60 s choice timeout`);
});

test('the PIN-mode proof is shown to the facility after the signature, before consent', async () => {
  const r = await runScenario({ identity: await testIdentity(), cardCalls: PIN_CARD, patient: [{ on: 'method', press: 'pin' }, { on: 'pin', type: '1234' }, { on: 'consent', press: 'all' }] });
  assert.equal(r.facility.calls, ['qualify', 'prove', 'submitResult']);
  assert.is(r.facility.proofs[0]?.challenge, r.outcome.result.challenge);
  assert.is(r.outcome.result.outcome, 'accepted');
});

for (const code of ['CHALLENGE_EXPIRED', 'SIGNATURE_INVALID', 'CERTIFICATE_REVOKED']) {
  test(`proof refused with ${code} → its screen, no consent asked, no proof in the result`, async () => {
    const r = await runScenario({ identity: await testIdentity(), cardCalls: PIN_CARD, facility: { refuseProof: code }, patient: [{ on: 'method', press: 'pin' }, { on: 'pin', type: '1234' }] });
    assert.is(r.outcome.result.errorCode, code);
    assert.is(r.outcome.ending.screen, code === 'CHALLENGE_EXPIRED' ? 'fallback' : code === 'SIGNATURE_INVALID' ? 'card-unreadable' : 'card-expired');
    assert.is(r.outcome.result.signature, undefined);
    assert.not.ok(r.patient.screens.some((s) => s.screen === 'consent'), 'no consent after a refused proof');
  });
}

test.run();
