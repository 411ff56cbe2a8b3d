/**
 * EF 0002 of the 券面事項確認AP: `FF20 { DF21 … DF2A }` (spec card-apdu.md §Files). Parsed
 * with a tag table; the DF28 signature covers SHA-256(DF22‖DF23‖DF24) ‖ SHA-256(DF25‖DF26) ‖
 * SHA-256(DF27), each over the TLV encodings as stored, signed RSASSA-PKCS1-v1_5/SHA-256.
 */
import { MalformedResponseError } from '../errors.ts';
import { readTagged } from '../tag-table.ts';
import { parseOne, parseTlvs, readHeader } from '../tlv.ts';
import { LIMITS } from './constants.ts';
import { sha256 } from './rsa.ts';

export const CARD_FACE_TAGS = {
  offsets: { tag: 0xdf21, required: true },
  birthDate: { tag: 0xdf22, required: true, minLength: 8, maxLength: 8 },
  sex: { tag: 0xdf23, required: true, minLength: 1, maxLength: 1 },
  cardPublicKey: { tag: 0xdf24, required: true, minLength: 16, maxLength: 1024 },
  nameImage: { tag: 0xdf25, required: true },
  addressImage: { tag: 0xdf26, required: true },
  photo: { tag: 0xdf27, required: true, minLength: 16 },
  signature: { tag: 0xdf28, required: true, minLength: 128, maxLength: 512 },
  expiry: { tag: 0xdf29, required: true, minLength: 8, maxLength: 8 },
  securityCodeImage: { tag: 0xdf2a, required: true },
} as const;

export const CARD_FACE_OUTER_TAG = 0xff20;

export interface ParsedCardFace {
  readonly photo: Uint8Array;
  readonly expiry: string;
  readonly cardPublicKey: Uint8Array;
  readonly signature: Uint8Array;
  /** The 96 bytes DF28 signs. */
  readonly signedDigests: Uint8Array;
}

/** Length of the whole `FF20` structure from its first bytes (header + value). */
export function cardFaceTotalLength(head: Uint8Array): number {
  const h = readHeader(head, 0, 'card-face EF 0002', { maxDepth: 1, maxNodes: 1, maxLength: LIMITS.maxCardFaceBytes });
  if (h.tag !== CARD_FACE_OUTER_TAG) throw new MalformedResponseError('card-face EF 0002', `outer tag ${h.tag.toString(16)}, want FF20`);
  return h.headerLength + h.valueLength;
}

const DIGITS8 = /^[0-9]{8}$/;

export function parseCardFace(ef: Uint8Array): ParsedCardFace {
  const what = 'card-face EF 0002';
  const outer = parseOne(ef, what, false, { maxDepth: 2, maxNodes: 1, maxLength: LIMITS.maxCardFaceBytes });
  if (outer.tag !== CARD_FACE_OUTER_TAG) throw new MalformedResponseError(what, `outer tag ${outer.tag.toString(16)}, want FF20`);
  const limits = { maxDepth: 2, maxNodes: 32, maxLength: LIMITS.maxCardFaceBytes };
  const v = readTagged(outer.value, CARD_FACE_TAGS, what, false, limits);
  const spans = new Map<number, Uint8Array>();
  for (const t of parseTlvs(outer.value, what, limits)) spans.set(t.tag, outer.value.subarray(t.offset, t.offset + t.length));
  const span = (tag: number): Uint8Array => spans.get(tag) ?? new Uint8Array(0);
  const expiry = Buffer.from(v.expiry).toString('latin1');
  if (!DIGITS8.test(expiry)) throw new MalformedResponseError(what, 'expiry is not YYYYMMDD');
  const signedDigests = new Uint8Array(96);
  signedDigests.set(sha256(span(0xdf22), span(0xdf23), span(0xdf24)), 0);
  signedDigests.set(sha256(span(0xdf25), span(0xdf26)), 32);
  signedDigests.set(sha256(span(0xdf27)), 64);
  return { photo: v.photo, expiry, cardPublicKey: v.cardPublicKey, signature: v.signature, signedDigests };
}

/** DF24 value `90 <e> 91 <n>` → modulus and exponent. */
export const CARD_KEY_TAGS = {
  exponent: { tag: 0x90, required: true, minLength: 1, maxLength: 8 },
  modulus: { tag: 0x91, required: true, minLength: 128, maxLength: 512 },
} as const;

export function parseCardKey(df24: Uint8Array): { modulus: Uint8Array; exponent: Uint8Array } {
  return readTagged(df24, CARD_KEY_TAGS, 'card public key DF24', true, { maxDepth: 1, maxNodes: 4, maxLength: 1024 });
}
