import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { X509Certificate, generateKeyPairSync, verify } from 'node:crypto';
import { testIdentity } from './doubles/cert.ts';
import { runScenario } from './doubles/harness.ts';

const FACE_CARD = ['detect', 'readCertificate', 'readFacePhoto', 'signChallengeWithTerminalAuth'];

test('face ok: card → method → face match → consent all → done; result accepted, secrets wiped', async () => {
  const identity = await testIdentity();
  const r = await runScenario({
    identity,
    cardCalls: FACE_CARD,
    face: [{ outcome: 'match', score: 0.71 }],
    faceHints: ['closer'],
    patient: [
      { on: 'method', press: 'face' },
      { on: 'consent', press: 'all' },
    ],
  });
  assert.equal(r.screens, ['card-reading', 'method', 'face-reading-card', 'face', 'consent']);
  assert.is(r.outcome.ending.screen, 'done');
  const res = r.outcome.result;
  assert.is(res.outcome, 'accepted');
  assert.is(res.method, 'face');
  assert.is(res.segment, 1);
  assert.is(res.certificateSerial, identity.serial);
  assert.equal(res.consent?.items, { surgery: true, treatment: true, medication: true, checkups: true });
  assert.is(res.consent?.mode, 'all');
  assert.is(res.signatureUnlock, 'terminal');
  assert.ok(
    verify(
      'sha256',
      Buffer.from(res.challenge ?? '', 'hex'),
      new X509Certificate(identity.der).publicKey,
      Buffer.from(res.signature ?? '', 'base64'),
    ),
    'the card signed the facility challenge',
  );
  assert.equal(r.facility.challenges, [res.challenge]);
  assert.equal(r.card.nonces, [res.challenge], "the chip proof signed the facility's challenge");
  assert.ok(
    r.patient.screens.some((s) => s.screen === 'method'),
    'the plain method choice',
  );
  assert.equal(r.facility.results, [res]);
  assert.ok(
    r.patient.screens.some((s) => s.screen === 'face' && s.params.hint === 'closer'),
    'guidance hint shown',
  );
  assert.is(r.face.enrolled, undefined, 'face template wiped');
  assert.ok(r.face.wipes >= 1);
  assert.is(r.card.released, 1);
  assert.ok(r.audit.some((a) => a['audit'] === 'identity-decision' && a['method'] === 'face' && a['accepted'] === true));
  assert.not.ok(r.logs.join('\n').includes('55021720352285'), '照合番号B never logged');
});

test('a blink asked while the card is read stays on the face screen the attempt opens with (no flicker)', async () => {
  const r = await runScenario({
    identity: await testIdentity(),
    cardCalls: FACE_CARD,
    face: [{ outcome: 'match', score: 0.7 }],
    faceBeginHints: ['blinkOnce'],
    faceHints: ['hold'],
    patient: [
      { on: 'method', press: 'face' },
      { on: 'consent', press: 'all' },
    ],
  });
  const face = r.patient.screens.filter((s) => s.screen === 'face').map((s) => s.params.hint);
  // Drawn during the card read, then by the attempt with the same request: never a face screen without it.
  assert.equal(face, ['blinkOnce', 'blinkOnce', 'hold'], 'the face screen never drops the request');
  assert.is(r.outcome.ending.screen, 'done');
});

test("each hint's drawing is reported to the face part: when it was on the panel (the liveness window opens then), on the visit's clock", async () => {
  const r = await runScenario({
    identity: await testIdentity(),
    cardCalls: FACE_CARD,
    face: [{ outcome: 'match', score: 0.7 }],
    faceBeginHints: ['blinkOnce'],
    faceHints: ['turnLeft'],
    patient: [
      { on: 'method', press: 'face' },
      { on: 'consent', press: 'all' },
    ],
  });
  const drawn = await Promise.all(r.face.drawn);
  assert.equal(
    drawn.map(([hint]) => hint),
    ['blinkOnce', 'turnLeft'],
  );
  for (const [hint, at] of drawn) {
    const screen = r.patient.screens.find((s) => s.screen === 'face' && s.params.hint === hint);
    assert.ok(screen && at !== undefined, `${hint} drawn at ${at}`);
    assert.ok(at >= screen.at, `${hint}: reported ${at}, on the panel at ${screen.at}`);
  }
});

test('face fails twice then matches on the third attempt (within N=3)', async () => {
  const r = await runScenario({
    identity: await testIdentity(),
    cardCalls: FACE_CARD,
    face: [{ outcome: 'no-match', score: 0.2 }, { outcome: 'budget' }, { outcome: 'match', score: 0.6 }],
    patient: [
      { on: 'method', press: 'face' },
      { on: 'consent', press: 'all' },
    ],
  });
  assert.is(r.outcome.result.outcome, 'accepted');
  assert.is(r.outcome.result.method, 'face');
  assert.equal(
    r.patient.screens.filter((s) => s.screen === 'face' && s.params.triesLeft !== undefined).map((s) => s.params.triesLeft),
    [2, 1],
    'retries by itself, no button to press',
  );
});

test('face fails N times → offered PIN (no blame) → PIN ok; result method pin with a verified signature', async () => {
  const r = await runScenario({
    identity: await testIdentity(),
    cardCalls: [...FACE_CARD, 'pinTriesLeft', 'verifyPin', 'signChallenge'],
    face: [
      { outcome: 'no-match', score: 0.1 },
      { outcome: 'no-match', score: 0.1 },
    ],
    settings: { faceMaxFailures: 2 },
    patient: [
      { on: 'method', press: 'face' },
      { on: 'face-failed', press: 'pin' },
      { on: 'pin', type: '1234' },
      { on: 'consent', press: 'all' },
    ],
  });
  const failed = r.patient.screens.find((s) => s.screen === 'face-failed');
  assert.is(failed?.params.reason, 'FACE_NOT_CONFIRMED');
  assert.is(r.outcome.result.method, 'pin');
  assert.is(r.outcome.result.outcome, 'accepted');
  assert.ok(r.outcome.result.signature && r.outcome.result.challenge);
  assert.equal(r.facility.challenges, [r.outcome.result.challenge]);
  assert.equal([...(r.patient.typed[0] ?? [1])], [0, 0, 0, 0], 'PIN buffer wiped');
});

test('a tap on the face screen\'s "use the PIN" while face-failed is still being drawn is taken (#17: lost under emulation)', async () => {
  const r = await runScenario({
    identity: await testIdentity(),
    cardCalls: [...FACE_CARD, 'pinTriesLeft', 'verifyPin', 'signChallenge'],
    face: [{ outcome: 'no-match', score: 0.1 }],
    settings: { faceMaxFailures: 1 },
    patient: [
      { on: 'method', press: 'face' },
      { on: 'face', press: 'pin', whileDrawing: 'face-failed' },
      { on: 'pin', type: '1234' },
      { on: 'consent', press: 'all' },
    ],
  });
  assert.equal(r.screens.slice(2, 6), ['face-reading-card', 'face', 'face-failed', 'pin']);
  assert.is(r.outcome.result.method, 'pin');
  assert.is(r.outcome.result.outcome, 'accepted');
  assert.ok(r.audit.some((a) => a['audit'] === 'face-given-up' && a['reason'] === 'FACE_NOT_CONFIRMED'));
});

test('no terminal authenticator: the method screen says the PIN follows; face match → PIN → accepted as face mode, signed after the PIN', async () => {
  const identity = await testIdentity();
  const r = await runScenario({
    identity,
    card: { faceProof: 'pin' },
    cardCalls: ['detect', 'readCertificate', 'readFacePhoto', 'pinTriesLeft', 'verifyPin', 'signChallenge'],
    face: [{ outcome: 'match', score: 0.8 }],
    patient: [
      { on: 'method-face-pin', press: 'face' },
      { on: 'pin-after-face', type: '1234' },
      { on: 'consent', press: 'all' },
    ],
  });
  assert.equal(r.screens, ['card-reading', 'method-face-pin', 'face-reading-card', 'face', 'pin-after-face', 'consent']);
  const res = r.outcome.result;
  assert.is(res.outcome, 'accepted');
  assert.is(res.method, 'face');
  assert.is(res.signatureUnlock, 'pin');
  assert.ok(
    verify(
      'sha256',
      Buffer.from(res.challenge ?? '', 'hex'),
      new X509Certificate(identity.der).publicKey,
      Buffer.from(res.signature ?? '', 'base64'),
    ),
  );
  assert.ok(
    r.audit.some(
      (a) => a['audit'] === 'identity-decision' && a['method'] === 'face' && a['reason'] === 'face-match-then-pin-signature-valid',
    ),
  );
});

test('no terminal authenticator: a face match whose PIN is cancelled is no acceptance', async () => {
  const r = await runScenario({
    identity: await testIdentity(),
    card: { faceProof: 'pin' },
    cardCalls: ['detect', 'readCertificate', 'readFacePhoto', 'pinTriesLeft'],
    face: [{ outcome: 'match', score: 0.8 }],
    patient: [
      { on: 'method-face-pin', press: 'face' },
      { on: 'pin-after-face', cancel: true },
      { on: 'method-face-pin', wait: true },
    ],
  });
  assert.is(r.outcome.result.outcome, 'cancelled');
  assert.is(r.outcome.result.signature, undefined);
  assert.not.ok(r.events.some((e) => e.type === 'decision' && e.accepted));
});

test('the card refuses the terminal: the face match is finished with the PIN instead', async () => {
  const r = await runScenario({
    identity: await testIdentity(),
    card: { refuseTerminal: true },
    cardCalls: [...FACE_CARD, 'pinTriesLeft', 'verifyPin', 'signChallenge'],
    face: [{ outcome: 'match', score: 0.8 }],
    patient: [
      { on: 'method', press: 'face' },
      { on: 'pin-after-face', type: '1234' },
      { on: 'consent', press: 'all' },
    ],
  });
  assert.ok(
    r.patient.screens.some((s) => s.screen === 'pin-after-face'),
    'the PIN pad after a face match',
  );
  assert.is(r.outcome.result.method, 'face');
  assert.is(r.outcome.result.signatureUnlock, 'pin');
});

test('a card whose signature does not match its certificate is refused after the face match (a chip answering for someone else)', async () => {
  const r = await runScenario({
    identity: await testIdentity(),
    card: { wrongKey: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey },
    cardCalls: FACE_CARD,
    face: [{ outcome: 'match', score: 0.9 }],
    patient: [
      { on: 'method', press: 'face' },
      { on: 'card-unreadable', wait: true },
    ],
  });
  assert.is(r.outcome.result.outcome, 'error');
  assert.is(r.outcome.result.errorCode, 'SIGNATURE_INVALID');
  assert.is(r.outcome.result.signature, undefined);
  assert.ok(r.audit.some((a) => a['audit'] === 'identity-decision' && a['method'] === 'face' && a['accepted'] === false));
});

test('card front unreadable: never guesses 照合番号B, offers PIN/staff straight away', async () => {
  const r = await runScenario({
    identity: await testIdentity(),
    cardCalls: ['detect', 'readCertificate'],
    front: 'unreadable',
    patient: [
      { on: 'method', press: 'face' },
      { on: 'face-failed', wait: true },
    ],
    settings: undefined,
  });
  assert.is(r.patient.screens.find((s) => s.screen === 'face-failed')?.params.reason, 'VERIFICATION_NUMBER_B_UNREADABLE');
  assert.is(r.outcome.result.outcome, 'cancelled');
  assert.is(r.outcome.result.errorCode, 'TIMEOUT');
  assert.is(r.outcome.ending.screen, 'timeout');
});

test('photo spoof: attempts stop at once, staff help offered; staff confirms with the chip photo', async () => {
  const password = new Uint8Array(Buffer.from('clinic-pass'));
  let checked = '';
  const r = await runScenario({
    identity: await testIdentity(),
    cardCalls: FACE_CARD,
    face: [{ outcome: 'spoof' }],
    staff: {
      check: (pw) => {
        checked = Buffer.from(pw).toString();
        return Promise.resolve(Buffer.compare(Buffer.from(pw), Buffer.from(password)) === 0 ? 'ok' : 'wrong');
      },
    },
    patient: [
      { on: 'method', press: 'face' },
      { on: 'face-failed', press: 'staff' },
      { on: 'staff-password', type: 'clinic-pass' },
      { on: 'staff-check', press: 'confirm' },
      { on: 'staff-done', press: 'return' },
      { on: 'consent', press: 'all' },
    ],
  });
  assert.is(checked, 'clinic-pass');
  assert.is(r.patient.screens.find((s) => s.screen === 'face-failed')?.params.reason, 'SPOOF_SUSPECTED');
  const check = r.patient.screens.find((s) => s.screen === 'staff-check');
  assert.ok(check?.params.photo instanceof Uint8Array);
  assert.ok(
    check.params.photo.every((b) => b === 0),
    'chip photo wiped after the visit',
  );
  assert.is(r.outcome.result.method, 'staff');
  assert.is(r.outcome.result.outcome, 'accepted');
  assert.is(r.outcome.result.signatureUnlock, 'terminal', 'the staff confirmation is bound to the card too');
  assert.ok(r.screens.indexOf('staff-done') < r.screens.indexOf('consent'), 'back to patient mode before consent');
  assert.ok(r.audit.some((a) => a['audit'] === 'face-given-up' && a['reason'] === 'SPOOF_SUSPECTED'));
});

test('face screen: "use PIN instead" stops the attempt and goes to the PIN at once (no failure counted)', async () => {
  const r = await runScenario({
    identity: await testIdentity(),
    cardCalls: ['detect', 'readCertificate', 'readFacePhoto', 'pinTriesLeft', 'verifyPin', 'signChallenge'],
    face: [{ outcome: 'match', score: 0.9 }],
    faceDecisionMs: 60_000,
    patient: [
      { on: 'method', press: 'face' },
      { on: 'face', press: 'pin' },
      { on: 'pin', type: '1234' },
      { on: 'consent', press: 'all' },
    ],
  });
  assert.equal(r.screens, ['card-reading', 'method', 'face-reading-card', 'face', 'pin', 'consent']);
  assert.is(r.outcome.result.outcome, 'accepted');
  assert.is(r.outcome.result.method, 'pin');
  assert.ok(r.audit.some((a) => a['audit'] === 'face-given-up' && a['reason'] === 'PATIENT_CHOSE_PIN' && a['failures'] === 0));
  assert.is(r.face.enrolled, undefined, 'face template wiped');
});

test('face screen: "cancel" ends the visit as cancelled, the attempt stopped and the template wiped', async () => {
  const r = await runScenario({
    identity: await testIdentity(),
    cardCalls: ['detect', 'readCertificate', 'readFacePhoto'],
    face: [{ outcome: 'match', score: 0.9 }],
    faceDecisionMs: 60_000,
    patient: [
      { on: 'method', press: 'face' },
      { on: 'face', press: 'cancel' },
    ],
  });
  assert.is(r.outcome.ending.screen, 'cancelled');
  assert.is(r.outcome.result.outcome, 'cancelled');
  assert.is(r.outcome.result.errorCode, 'CANCELLED');
  assert.is(r.outcome.result.signature, undefined);
  assert.is(r.face.enrolled, undefined, 'face template wiped');
});

test.run();
