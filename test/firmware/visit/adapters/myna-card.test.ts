/** The card adapter against the virtual My Number Card in the in-process simulated reader. */
import { X509Certificate, generateKeyPairSync, verify } from 'node:crypto';
import { SimulatedTerminalAuthenticator } from '../../../../firmware/apdu/myna/terminal-auth.ts';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { silentLogger } from '../../../../firmware/core/logger.ts';
import { systemClock } from '../../../../firmware/platform/system-clock.ts';
import { MynaCardOpener } from '../../../../firmware/visit/adapters/myna-card.ts';
import { SimCardReader } from '../../../../hardware-sim/card/sim-card-reader.ts';
import { ascii, makeTestCard } from '../../../helpers/sim-card.ts';

const signal = new AbortController().signal;
const NONCE = new Uint8Array(32).fill(0x5a);
const errorCodeOrInternal = (p: Promise<unknown>): Promise<string> =>
  p.then(
    () => 'resolved',
    (e: unknown) => String((e as { code?: string }).code),
  );

test('certificate, PIN tries, wrong PIN as an answer, right PIN, signature that verifies', async () => {
  const tc = await makeTestCard({ id: 'visit-adapter-1' });
  const reader = new SimCardReader();
  reader.insert(tc.card);
  const card = await new MynaCardOpener(reader, { clock: systemClock, trust: tc.trust, log: silentLogger }).open(signal);
  await card.detect(signal);
  const cert = await card.readCertificate(signal);
  assert.is(cert.serial, new X509Certificate(cert.der).serialNumber.toLowerCase());
  assert.is(await card.pinTriesLeft(signal), 3);
  assert.equal(await card.verifyPin(ascii('0000'), { confirmLastTry: false }, signal), { ok: false, triesLeft: 2 });
  assert.equal(await card.verifyPin(ascii(tc.profile.pin), { confirmLastTry: false }, signal), { ok: true });
  const challenge = new Uint8Array(32).fill(7);
  const sig = await card.signChallenge(challenge, signal);
  assert.ok(verify('sha256', challenge, new X509Certificate(cert.der).publicKey, sig));
  await card.release();
});

test('chip photo with the right 照合番号B; a wrong one is VERIFICATION_NUMBER_B_REFUSED and the last try is never spent', async () => {
  const tc = await makeTestCard({ id: 'visit-adapter-2', limits: { verificationNumberB: 2 } });
  const reader = new SimCardReader();
  reader.insert(tc.card);
  const opener = new MynaCardOpener(reader, { clock: systemClock, trust: tc.trust, log: silentLogger });
  let card = await opener.open(signal);
  await card.detect(signal);
  const photo = await card.readFacePhoto(ascii(tc.verificationNumberB), NONCE, signal);
  assert.equal([...photo.subarray(4, 8)], [0x6a, 0x50, 0x20, 0x20], 'JP2 signature box');
  await card.release();
  reader.remove();
  reader.insert(tc.card);
  card = await opener.open(signal);
  await card.detect(signal);
  assert.is(await errorCodeOrInternal(card.readFacePhoto(ascii('11111111111111'), NONCE, signal)), 'VERIFICATION_NUMBER_B_REFUSED');
  assert.is(await errorCodeOrInternal(card.readFacePhoto(ascii('11111111111111'), NONCE, signal)), 'VERIFICATION_NUMBER_B_REFUSED');
  assert.is(await tc.card.counters.left('face-number-b', 2), 1, 'the last try stays unspent');
});

test('face proof: without an authenticator the PIN follows; with the simulated one the card signs after 特定機関認証', async () => {
  const tc = await makeTestCard({ id: 'visit-adapter-5' });
  const reader = new SimCardReader();
  reader.insert(tc.card);
  const plain = await new MynaCardOpener(reader, { clock: systemClock, trust: tc.trust, log: silentLogger }).open(signal);
  assert.is(plain.faceProof, 'pin');
  await plain.detect(signal);
  await plain.readCertificate(signal);
  assert.is(await errorCodeOrInternal(plain.signChallengeWithTerminalAuth(new Uint8Array(32), signal)), 'TERMINAL_AUTH_FAILED');
  await plain.release();
  const opener = new MynaCardOpener(reader, {
    clock: systemClock,
    trust: tc.trust,
    log: silentLogger,
    terminalAuthenticator: new SimulatedTerminalAuthenticator(tc.pki.terminal.privateKey),
  });
  const card = await opener.open(signal);
  assert.is(card.faceProof, 'terminal');
  await card.detect(signal);
  const cert = await card.readCertificate(signal);
  await card.readFacePhoto(ascii(tc.verificationNumberB), NONCE, signal);
  const challenge = new Uint8Array(32).fill(9);
  const sig = await card.signChallengeWithTerminalAuth(challenge, signal);
  assert.ok(verify('sha256', challenge, new X509Certificate(cert.der).publicKey, sig), 'signed by the user-auth key, no PIN entered');
  assert.is(await tc.card.counters.left('jpki-auth-pin', 3), 3, 'no PIN try spent');
  await card.release();
  const wrong = new SimulatedTerminalAuthenticator(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey);
  const refused = await new MynaCardOpener(reader, {
    clock: systemClock,
    trust: tc.trust,
    log: silentLogger,
    terminalAuthenticator: wrong,
  }).open(signal);
  await refused.detect(signal);
  await refused.readCertificate(signal);
  assert.is(await errorCodeOrInternal(refused.signChallengeWithTerminalAuth(challenge, signal)), 'TERMINAL_AUTH_FAILED');
  assert.is(await errorCodeOrInternal(refused.signChallenge(challenge, signal)), 'APDU_STATUS', 'and no signature without the PIN');
});

test('a card left in the reader: the next visit starts from a reset card, so the last PIN does not carry over', async () => {
  const tc = await makeTestCard({ id: 'visit-adapter-6' });
  const reader = new SimCardReader();
  reader.insert(tc.card);
  const opener = new MynaCardOpener(reader, { clock: systemClock, trust: tc.trust, log: silentLogger });
  const first = await opener.open(signal);
  await first.detect(signal);
  await first.readCertificate(signal);
  assert.equal(await first.verifyPin(ascii(tc.profile.pin), { confirmLastTry: false }, signal), { ok: true });
  await first.release(); // "try again": the card stays in the slot
  const next = await opener.open(signal);
  await next.detect(signal);
  await next.readCertificate(signal);
  const challenge = new Uint8Array(32).fill(3);
  assert.is(await errorCodeOrInternal(next.signChallenge(challenge, signal)), 'APDU_STATUS', "no signature on the last visit's PIN");
  assert.equal(await next.verifyPin(ascii('0000'), { confirmLastTry: false }, signal), { ok: false, triesLeft: 2 });
  assert.is(await errorCodeOrInternal(next.signChallenge(challenge, signal)), 'APDU_STATUS');
  await next.release();
});

test('not a My Number Card, and a card pulled mid-read, are typed', async () => {
  const other = await makeTestCard({ id: 'visit-adapter-3', tokenLabel: 'SOMETHINGELSE' });
  const reader = new SimCardReader();
  reader.insert(other.card);
  const opener = new MynaCardOpener(reader, { clock: systemClock, trust: other.trust, log: silentLogger });
  const card = await opener.open(signal);
  assert.is(await errorCodeOrInternal(card.detect(signal)), 'NOT_MY_NUMBER_CARD');
  const tc = await makeTestCard({ id: 'visit-adapter-4' });
  reader.insert(tc.card);
  const c2 = await opener.open(signal);
  await c2.detect(signal);
  reader.faults.add({ kind: 'pull' }, { after: 1 });
  assert.is(await errorCodeOrInternal(c2.readCertificate(signal)), 'CARD_REMOVED');
});

test.run();
