/**
 * One byte changed on an otherwise genuine virtual card: the client refuses each with its typed
 * error, and the independent verifier (test/helpers/independent-card-verifier.ts) refuses the same
 * bytes. Also: a card signed the old, wrong way (RSA-SHA256 over the 96 bytes), a chip that does
 * not hold the DF24 key (a clone), and a fake chip replaying a recorded proof.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { MalformedResponseError } from '../../../../firmware/apdu/errors.ts';
import { MyNumberCardClient } from '../../../../firmware/apdu/myna/client.ts';
import { CardFaceIssuerUnknownError, SignatureInvalidError } from '../../../../firmware/apdu/myna/errors.ts';
import type { CardSession } from '../../../../firmware/ports/card-reader.ts';
import { systemClock } from '../../../../firmware/platform/system-clock.ts';
import type { CardContents } from '../../../../hardware-sim/card/applets.ts';
import { assembleCardFace, cardFaceDigests, cardFaceFields, type CardFaceInput } from '../../../../hardware-sim/card/card-face-builder.ts';
import { issueCardContents, type IssuedContents } from '../../../../hardware-sim/card/issue.ts';
import { MemoryStore } from '../../../../hardware-sim/card/memory-store.ts';
import { VirtualMyNumberCard } from '../../../../hardware-sim/card/virtual-card.ts';
import { Refused, rsaKey, verifyEf0002, verifyEf0004, type RsaKey } from '../../../helpers/independent-card-verifier.ts';
import { ascii, makeTestCard, type TestCard } from '../../../helpers/sim-card.ts';

let tc: TestCard;
let issued: IssuedContents;

const keyOf = (k: KeyObject): RsaKey => {
  const jwk = createPublicKey(k).export({ format: 'jwk' });
  return rsaKey(new Uint8Array(Buffer.from(jwk.n ?? '', 'base64url')), new Uint8Array(Buffer.from(jwk.e ?? '', 'base64url')));
};

function session(card: VirtualMyNumberCard, replace?: (command: Uint8Array, response: Uint8Array) => Uint8Array): CardSession {
  card.powerOn();
  return {
    atr: card.atr,
    features: { extendedApdu: false, contactless: false },
    async transmit(command) {
      const r = await card.transmit(command);
      return replace ? replace(command, r) : r;
    },
    disconnect: () => Promise.resolve(),
  };
}

async function readFace(contents: CardContents, replace?: (command: Uint8Array, response: Uint8Array) => Uint8Array): Promise<unknown> {
  const card = new VirtualMyNumberCard({ id: 'tamper', counters: new MemoryStore(), contents });
  const client = await MyNumberCardClient.open(session(card, replace), { clock: systemClock, trust: tc.trust });
  await client.verifyVerificationNumberB(ascii(tc.verificationNumberB));
  try {
    return await client.readCardFace();
  } catch (err) {
    return err;
  }
}

/** The independent verifier's answer for the same files: 'accepted', or its reason for refusing. */
function independent(c: CardContents): string {
  try {
    verifyEf0002(c.face.cardFace, verifyEf0004(c.face.cvCertificate, keyOf(tc.pki.cardFaceCa.key)).subjectKey);
    return 'accepted';
  } catch (err) {
    if (err instanceof Refused) return `refused: ${err.message}`;
    throw err;
  }
}
const independentAccepts = (c: CardContents): boolean => independent(c) === 'accepted';

const withFace = (c: CardContents, face: Partial<CardContents['face']>): CardContents => ({ ...c, face: { ...c.face, ...face } });

function flip(bytes: Uint8Array, at: number): Uint8Array {
  const out = bytes.slice();
  out[at] = (out[at] ?? 0) ^ 0x01;
  return out;
}

test.before(async () => {
  tc = await makeTestCard({ id: 'tamper-base' });
  issued = await issueCardContents(tc.profile, { pki: tc.pki });
});

test('the genuine files pass both verifiers', async () => {
  assert.ok(independentAccepts(issued.contents));
  const face = await readFace(issued.contents);
  assert.not.instance(face, Error);
});

const field = (tag: number): { start: number; length: number; valueStart: number } => {
  const f = issued.cardFace.layout.find((l) => l.tag === tag);
  if (!f) throw new Error(`no field ${tag.toString(16)}`);
  return f;
};

const CASES: readonly { name: string; make: () => CardContents; check: (e: unknown) => boolean; independent: boolean }[] = [
  {
    name: 'one byte of the photo (DF27)',
    make: () => withFace(issued.contents, { cardFace: flip(issued.contents.face.cardFace, field(0xdf27).valueStart + 500) }),
    check: (e) => e instanceof SignatureInvalidError && e.check === 'card-face',
    independent: false,
  },
  {
    name: 'one byte of the signature (DF28)',
    make: () => withFace(issued.contents, { cardFace: flip(issued.contents.face.cardFace, field(0xdf28).valueStart + 100) }),
    check: (e) => e instanceof SignatureInvalidError && e.check === 'card-face',
    independent: false,
  },
  {
    name: 'one byte of the card key (DF24)',
    make: () => withFace(issued.contents, { cardFace: flip(issued.contents.face.cardFace, field(0xdf24).valueStart + 100) }),
    check: (e) => e instanceof SignatureInvalidError && e.check === 'card-face',
    independent: false,
  },
  {
    name: 'one byte of the offset table (DF21)',
    make: () => withFace(issued.contents, { cardFace: flip(issued.contents.face.cardFace, field(0xdf21).valueStart + 5) }),
    check: (e) => e instanceof MalformedResponseError && /offset table/.test(e.reason),
    independent: false,
  },
  {
    name: 'one byte of the issuer key id (EF 0004)',
    make: () => withFace(issued.contents, { cvCertificate: flip(issued.contents.face.cvCertificate, 10 + 6) }),
    check: (e) => e instanceof CardFaceIssuerUnknownError && e.keyId === '9000022/001',
    independent: false,
  },
  {
    name: 'one padding byte of the issuer key id (ids are compared whole)',
    make: () => withFace(issued.contents, { cvCertificate: flip(issued.contents.face.cvCertificate, 10 + 15) }),
    check: (e) => e instanceof CardFaceIssuerUnknownError,
    independent: false,
  },
  {
    name: 'one byte of the subject key id (EF 0004)',
    make: () => withFace(issued.contents, { cvCertificate: flip(issued.contents.face.cvCertificate, 10 + 16 + 3) }),
    check: (e) => e instanceof SignatureInvalidError && e.check === 'cv-certificate',
    independent: false,
  },
  {
    name: 'one byte of the certified key (EF 0004)',
    make: () => withFace(issued.contents, { cvCertificate: flip(issued.contents.face.cvCertificate, 10 + 32 + 100) }),
    check: (e) => e instanceof SignatureInvalidError && e.check === 'cv-certificate',
    independent: false,
  },
  {
    name: 'the 5F4E length (EF 0004)',
    make: () => withFace(issued.contents, { cvCertificate: flip(issued.contents.face.cvCertificate, 9) }),
    check: (e) => e instanceof MalformedResponseError,
    independent: false,
  },
  {
    name: 'one byte of the EF 0004 signature (5F37)',
    make: () => withFace(issued.contents, { cvCertificate: flip(issued.contents.face.cvCertificate, 312 + 7) }),
    check: (e) => e instanceof SignatureInvalidError && e.check === 'cv-certificate',
    independent: false,
  },
];

for (const c of CASES) {
  test(`tampered: ${c.name} → refused by both`, async () => {
    const contents = c.make();
    const err = await readFace(contents);
    assert.ok(c.check(err), `client: ${String(err)}`);
    assert.is(independentAccepts(contents), c.independent, `independent verifier: ${independent(contents)}`);
  });
}

test('DF29 (expiry) is not covered by DF28: changing it is accepted by both, and the client never returns it', async () => {
  const contents = withFace(issued.contents, { cardFace: flip(issued.contents.face.cardFace, field(0xdf29).valueStart + 3) });
  assert.ok(independentAccepts(contents));
  const face = await readFace(contents);
  assert.not.instance(face, Error);
  assert.equal(Object.keys(face as object).sort(), ['issuerKeyId', 'photo']);
});

test('a card signed the old, wrong way (RSA-SHA256 over the 96 bytes) is refused by both', async () => {
  const input: CardFaceInput = {
    birthDate: '19800217',
    sex: '2',
    expiry: '20350217',
    photoJp2: tc.profile.photoJp2,
    nameImage: ascii('name'),
    addressImage: ascii('address'),
    securityCodeImage: ascii('code'),
  };
  const f = cardFaceFields(input, issued.contents.chipKey);
  const wrong = new Uint8Array(sign('sha256', cardFaceDigests(f), tc.pki.faceSigner.key));
  const df28 = new Uint8Array([0xdf, 0x28, 0x82, 0x01, 0x00, ...wrong]);
  const ef = assembleCardFace([f.df22, f.df23, f.df24, f.df25, f.df26, f.df27, df28, f.df29, f.df2a]).ef;
  const contents = withFace(issued.contents, { cardFace: ef });
  const err = await readFace(contents);
  assert.ok(err instanceof SignatureInvalidError && err.check === 'card-face', String(err));
  assert.not.ok(independentAccepts(contents));
});

test('a clone (the genuine EF 0002, another chip key) fails the chip proof', async () => {
  const clone: CardContents = { ...issued.contents, chipKey: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey };
  assert.ok(independentAccepts(clone), 'the files themselves are genuine');
  const err = await readFace(clone);
  assert.ok(err instanceof SignatureInvalidError && err.check === 'chip', String(err));
});

test('a fake chip replaying a recorded proof fails: the reader picks a new nonce every time', async () => {
  let recorded: Uint8Array | undefined;
  const record = (command: Uint8Array, response: Uint8Array): Uint8Array => {
    if (command[0] === 0x80 && command[1] === 0x2a && command[3] === 0x00) recorded = response.slice();
    return response;
  };
  assert.not.instance(await readFace(issued.contents, record), Error);
  assert.ok(recorded && recorded.length === 258);
  const replay = (command: Uint8Array, response: Uint8Array): Uint8Array =>
    command[0] === 0x80 && command[1] === 0x2a && command[3] === 0x00 && recorded ? recorded : response;
  const err = await readFace(issued.contents, replay);
  assert.ok(err instanceof SignatureInvalidError && err.check === 'chip', String(err));
});

test('the chip proof never uses GET CHALLENGE', async () => {
  const seen: string[] = [];
  await readFace(issued.contents, (command, response) => {
    seen.push(Buffer.from(command.subarray(0, 2)).toString('hex'));
    return response;
  });
  assert.not.ok(seen.includes('0084'), seen.join(' '));
  assert.ok(seen.includes('802a'));
});

test.run();
