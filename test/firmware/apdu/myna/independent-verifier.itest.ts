/**
 * Independent check of the card-face chain over real pcscd + vsmartcard-vpcd: OpenSC's
 * `opensc-tool` is the reader (our APDU stack plays no part), and the verifier written apart from
 * the client (test/helpers/independent-card-verifier.ts: fixed offsets, BigInt RSA, whole-block
 * comparison) checks EF 0004 against the simulator's CA key, DF28 against the EF 0004 key, the
 * DF21 table, the FF filler, and the chip's signature over a nonce we chose. Then our client,
 * over the same pcscd, must accept the same card, and the two must agree on the photo.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash, createPublicKey, randomBytes, verify } from 'node:crypto';
import { MyNumberCardClient } from '../../../../firmware/apdu/myna/client.ts';
import { PcscCardReader } from '../../../../firmware/platform/pcsc/pcsc-reader.ts';
import { systemClock } from '../../../../firmware/platform/system-clock.ts';
import { ensureQuickAckRoute, FAST_PATH_HOST } from '../../../../hardware-sim/card/fast-path.ts';
import { startPcscd, type Pcscd } from '../../../../hardware-sim/card/pcscd-process.ts';
import { VpcdBridge } from '../../../../hardware-sim/card/vpcd-bridge.ts';
import { EventWaiter } from '../../../helpers/event-waiter.ts';
import {
  checkSignature,
  digestInfo,
  recoverBlock,
  Refused,
  rsaKey,
  verifyChipProof,
  verifyEf0002,
  verifyEf0004,
  type RsaKey,
} from '../../../helpers/independent-card-verifier.ts';
import { openscSend } from '../../../helpers/opensc-apdu.ts';
import { ascii, makeTestCard, type TestCard } from '../../../helpers/sim-card.ts';

const READER = 'Virtual PCD 00 00';
const SELECT_FACE_AP = '00A4040C0AD3921000310001010402';
let pcscd: Pcscd;
let bridge: VpcdBridge | undefined;
let tc: TestCard;
let ef0004: Uint8Array;
let ef0002: Uint8Array;

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex').toUpperCase();
const sha256 = (b: Uint8Array): Uint8Array => new Uint8Array(createHash('sha256').update(b).digest());

/** Every 256-byte READ BINARY from 0 until the card answers 6B00 (a short last read answers 9000). */
function readsOfWholeEf(maxBytes: number): string[] {
  const out: string[] = [];
  for (let at = 0; at < maxBytes; at += 256) out.push(`00B0${hex(Uint8Array.of(at >> 8, at & 0xff))}00`);
  return out;
}

function joinUntilEnd(responses: readonly { sw: number; data: Uint8Array }[]): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const r of responses) {
    if (r.sw === 0x6b00) break;
    assert.is(r.sw, 0x9000, `READ BINARY answered ${r.sw.toString(16)}`);
    parts.push(r.data);
  }
  return new Uint8Array(Buffer.concat(parts));
}

function simCaKey(): RsaKey {
  const jwk = createPublicKey(tc.pki.cardFaceCa.key).export({ format: 'jwk' });
  return rsaKey(new Uint8Array(Buffer.from(jwk.n ?? '', 'base64url')), new Uint8Array(Buffer.from(jwk.e ?? '', 'base64url')));
}

test.before(async () => {
  pcscd = await startPcscd();
  try {
    await ensureQuickAckRoute();
    tc = await makeTestCard({ id: 'independent-check' });
    bridge = new VpcdBridge({ host: FAST_PATH_HOST, port: pcscd.vpcdPort });
    bridge.attach(tc.card);
    await bridge.waitConnected(5000);
    await new Promise((r) => setTimeout(r, 600)); // pcscd notices the card on its next poll
    const cv = await openscSend(READER, [SELECT_FACE_AP, '00A4020C020004', ...readsOfWholeEf(1024)], pcscd.env);
    ef0004 = joinUntilEnd(cv.slice(2));
    const verificationNumberB = hex(ascii(tc.verificationNumberB));
    const face = await openscSend(
      READER,
      [SELECT_FACE_AP, '00A4020C020012', `002000800E${verificationNumberB}`, '00A4020C020002', ...readsOfWholeEf(0x8000)],
      pcscd.env,
    );
    assert.equal(
      face.slice(0, 4).map((r) => r.sw),
      [0x9000, 0x9000, 0x9000, 0x9000],
    );
    ef0002 = joinUntilEnd(face.slice(4));
  } catch (err) {
    bridge?.close();
    await pcscd.stop();
    throw err;
  }
});

test.after(async () => {
  bridge?.close();
  await pcscd.stop();
});

test('EF 0004 read by opensc-tool is 7F21{5F4E 297, 5F37 256} and verifies under the simulator CA (9000023/001)', () => {
  assert.is(ef0004.length, 568, 'the EF holds exactly the certificate');
  const cv = verifyEf0004(ef0004, simCaKey());
  assert.is(Buffer.from(cv.issuerId).toString('hex'), '39303030303233080530303100000000');
  assert.is(Buffer.from(cv.issuerId.subarray(0, 1)).toString('latin1'), '9', 'never a J-LIS id (5…/6…)');
  const signer = createPublicKey(tc.pki.faceSigner.key).export({ format: 'jwk' });
  assert.is(
    cv.subjectKey.n,
    BigInt(`0x${Buffer.from(signer.n ?? '', 'base64url').toString('hex')}`),
    'EF 0004 certifies the card-face signing key',
  );
});

test('EF 0002: DF21 table, DF28 over the 96-byte DigestInfo verifies with the EF 0004 key, FF filler to the end', () => {
  const cv = verifyEf0004(ef0004, simCaKey());
  const face = verifyEf0002(ef0002, cv.subjectKey);
  assert.ok(ef0002.length > face.objectLength, 'filler follows the object');
  assert.ok(
    ef0002.subarray(face.objectLength).every((b) => b === 0xff),
    'the filler is FF',
  );
  assert.is(hex(face.photo), hex(tc.profile.photoJp2));
  const block = recoverBlock(cv.subjectKey, face.fields.get(0xdf28)?.value ?? new Uint8Array(0));
  assert.is(Buffer.from(block.subarray(256 - 115, 256 - 96)).toString('hex'), '3071300d060960864801650304020105000460');
  // DF29 and DF2A come after DF28 and are outside its digests.
  assert.equal(face.order.slice(-3), [0xdf28, 0xdf29, 0xdf2a]);
});

test('an ordinary RSA-SHA256 check over the 96 bytes is rejected (the digests are signed as they are)', () => {
  const cv = verifyEf0004(ef0004, simCaKey());
  const face = verifyEf0002(ef0002, cv.subjectKey);
  const df28 = face.fields.get(0xdf28)?.value ?? new Uint8Array(0);
  assert.not.ok(verify('sha256', face.digests, createPublicKey(tc.pki.faceSigner.key), df28), 'node:crypto RSA-SHA256 over the 96 bytes');
  assert.throws(
    () => checkSignature(cv.subjectKey, df28, digestInfo(sha256(face.digests)), 'DF28 hashed again'),
    (e: unknown) => e instanceof Refused,
  );
  checkSignature(cv.subjectKey, df28, digestInfo(face.digests), 'DF28 as signed');
});

test("the chip signs the reader's nonce (80 2A 00 00) with the key DF28 vouches for; another nonce does not match", async () => {
  const cv = verifyEf0004(ef0004, simCaKey());
  const face = verifyEf0002(ef0002, cv.subjectKey);
  const nonce = new Uint8Array(randomBytes(32));
  const [, proof] = await openscSend(READER, [SELECT_FACE_AP, `802A000033${hex(digestInfo(sha256(nonce)))}00`], pcscd.env);
  assert.is(proof?.sw, 0x9000);
  verifyChipProof(face.cardKey, nonce, proof?.data ?? new Uint8Array(0));
  assert.throws(() => verifyChipProof(face.cardKey, new Uint8Array(randomBytes(32)), proof?.data ?? new Uint8Array(0)));
});

test('our client over the same pcscd accepts the card and reads the photo the independent reader read', async () => {
  const reader = new PcscCardReader({ clock: systemClock, readerName: READER, extendedApdu: false });
  const events = new EventWaiter(reader);
  try {
    await events.next('inserted'); // the card already in the slot
    const client = await MyNumberCardClient.open(await reader.connect(), { clock: systemClock, trust: tc.trust });
    await client.verifyVerificationNumberB(ascii(tc.verificationNumberB));
    const face = await client.readCardFace();
    const independent = verifyEf0002(ef0002, verifyEf0004(ef0004, simCaKey()).subjectKey);
    assert.is(hex(face.photo), hex(independent.photo));
  } finally {
    await reader.close();
  }
});

test.run();
