/**
 * Reading and proving the card face (券面事項確認AP selected, 照合番号B verified), the chain of
 * spec card-apdu.md §Commands: CA key (shipped or configured) → EF 0004 → DF28 over the three
 * digests → DF24 card key → the chip signs the reader's nonce with `80 2A 00 00`. The nonce is
 * the reader's (fresh random, or the facility's challenge), never the card's: a GET CHALLENGE
 * pair could be replayed by a fake chip. Only the photo leaves this function; the rest of the EF
 * (name/address images, birth date) is zeroed.
 */
import type { ApduSession } from '../session.ts';
import { InvalidCommandError } from '../errors.ts';
import { readHeader } from '../tlv.ts';
import type { CardFaceIssuerKey } from './card-face-issuers.ts';
import { cardFaceTotalLength, parseCardFace } from './card-face.ts';
import { CARD_FACE_EF, LIMITS } from './constants.ts';
import { verifyCvCertificate } from './cv-certificate.ts';
import type { CardFiles } from './files.ts';
import { rsaPublicKey, sha256, sha256DigestInfo, verifyPkcs1 } from './rsa.ts';

export interface CardFace {
  /** JPEG 2000 (JP2 container), greyscale: the chip photo. A secret: wipe after use. */
  readonly photo: Uint8Array;
  /** The CA key that vouches for this card face (`6000023/001`…), public. */
  readonly issuerKeyId: string;
}

async function readEf(files: CardFiles, ef: number, lengthOf: (head: Uint8Array) => number): Promise<Uint8Array> {
  await files.selectEf(ef);
  const head = new Uint8Array(LIMITS.shortChunk);
  try {
    const got = await files.readUpTo(0, head.length, head);
    const total = lengthOf(head.subarray(0, got));
    if (total <= got) return head.slice(0, total);
    const out = new Uint8Array(total);
    out.set(head.subarray(0, got), 0);
    try {
      await files.read(got, total - got, out, got);
    } catch (err) {
      out.fill(0);
      throw err;
    }
    return out;
  } finally {
    head.fill(0);
  }
}

function cvLength(head: Uint8Array): number {
  const h = readHeader(head, 0, 'CV certificate EF 0004', { maxDepth: 1, maxNodes: 1, maxLength: 2048 });
  return h.headerLength + h.valueLength;
}

/** Has the chip sign DigestInfo(SHA-256(nonce)) with its card-face key and checks it with `chipKey`. */
async function proveChip(session: ApduSession, chipKey: ReturnType<typeof rsaPublicKey>, nonce: Uint8Array): Promise<void> {
  if (nonce.length < 16 || nonce.length > 255) throw new InvalidCommandError(`chip proof nonce of ${nonce.length} bytes (16–255)`);
  const digestInfo = sha256DigestInfo(sha256(nonce));
  const proof = await session.expect({ cla: 0x80, ins: 0x2a, p1: 0x00, p2: 0x00, data: digestInfo, le: 256 });
  verifyPkcs1(chipKey, proof, digestInfo, 'chip');
}

export async function readCardFace(
  files: CardFiles,
  session: ApduSession,
  issuers: readonly CardFaceIssuerKey[],
  nonce: Uint8Array,
): Promise<CardFace> {
  const cv = verifyCvCertificate(await readEf(files, CARD_FACE_EF.cvCertificate, cvLength), issuers);
  const ef = await readEf(files, CARD_FACE_EF.cardFace, cardFaceTotalLength);
  try {
    const face = parseCardFace(ef);
    verifyPkcs1(cv.signingKey, face.signature, sha256DigestInfo(face.signedDigests), 'card-face');
    await proveChip(session, rsaPublicKey(face.cardKey.modulus, face.cardKey.exponent, 'card public key DF24'), nonce);
    return { photo: face.photo.slice(), issuerKeyId: cv.issuerKeyId };
  } finally {
    ef.fill(0);
  }
}
