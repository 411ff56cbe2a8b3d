/**
 * Reading and proving the card face (券面事項確認AP, already selected, 照合番号B verified):
 * EF 0002 read exactly (length from the FF20 header), DF28 checked with the key of the CV
 * certificate in EF 0004, then GET CHALLENGE + `80 2A 00 00` signed by the chip and checked
 * with the DF24 key. Only the photo and the expiry date leave this function; the rest of the
 * EF (name/address images, birth date) is zeroed.
 */
import type { ApduSession } from '../session.ts';
import { readHeader } from '../tlv.ts';
import { CARD_FACE_EF, LIMITS } from './constants.ts';
import { cardFaceTotalLength, parseCardFace, parseCardKey } from './card-face.ts';
import { verifyCvCertificate, type CardFaceIssuerKey } from './cv-certificate.ts';
import { SignatureInvalidError } from './errors.ts';
import type { CardFiles } from './files.ts';
import { digestInfoSha256, rsaPublicKey, sha256, verifyRsaSha256 } from './rsa.ts';

export interface CardFace {
  /** JPEG 2000 (JP2 container), greyscale: the chip photo. A secret: wipe after use. */
  readonly photo: Uint8Array;
  /** Card expiry, YYYYMMDD. */
  readonly expiry: string;
}

async function readEf(files: CardFiles, ef: number, lengthOf: (head: Uint8Array) => number): Promise<Uint8Array> {
  await files.selectEf(ef);
  const head = new Uint8Array(LIMITS.shortChunk);
  await files.read(0, head.length, head);
  const total = lengthOf(head);
  if (total <= head.length) return head.slice(0, total);
  const out = new Uint8Array(total);
  out.set(head, 0);
  head.fill(0);
  await files.read(head.length, total - head.length, out, head.length);
  return out;
}

export async function readCardFace(files: CardFiles, session: ApduSession, issuers: readonly CardFaceIssuerKey[]): Promise<CardFace> {
  const cv = await readEf(files, CARD_FACE_EF.cvCertificate, (h) => cvLength(h));
  const signingKey = verifyCvCertificate(cv, issuers);
  const ef = await readEf(files, CARD_FACE_EF.cardFace, cardFaceTotalLength);
  try {
    const face = parseCardFace(ef);
    if (!verifyRsaSha256(signingKey, face.signedDigests, face.signature)) throw new SignatureInvalidError('card-face');
    const k = parseCardKey(face.cardPublicKey);
    const chipKey = rsaPublicKey(k.modulus, k.exponent, 'card public key DF24');
    const challenge = await session.expect({ cla: 0x00, ins: 0x84, p1: 0, p2: 0, le: 16 });
    const proof = await session.expect({ cla: 0x80, ins: 0x2a, p1: 0x00, p2: 0x00, data: digestInfoSha256(sha256(challenge)), le: 256 });
    if (!verifyRsaSha256(chipKey, challenge, proof)) throw new SignatureInvalidError('chip', 'the chip could not prove it holds the card key');
    return { photo: face.photo.slice(), expiry: face.expiry };
  } finally {
    ef.fill(0);
  }
}

function cvLength(head: Uint8Array): number {
  const h = readHeader(head, 0, 'CV certificate EF 0004', { maxDepth: 1, maxNodes: 1, maxLength: 2048 });
  return h.headerLength + h.valueLength;
}
