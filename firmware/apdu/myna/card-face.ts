/**
 * EF 0002 of the 券面事項確認AP (spec card-apdu.md §Files, "Inside 0002"):
 *   FF20 82 LLLL { DF21 offsets, DF22 … DF2A }   then FF filler to the end of the EF (never read).
 * The fields come in this order, each a BER-TLV kept as written (header included). DF21 lists
 * the big-endian u16 offset, from the first byte of the EF, of every following field; it must
 * match where each field really starts. DF28 signs three SHA-256 digests (groups below); DF29
 * (expiry) and DF2A (security-code image) come after it, are not signed, and are not used.
 */
import { MalformedResponseError } from '../errors.ts';
import { readTagged } from '../tag-table.ts';
import { parseOne, readHeader } from '../tlv.ts';
import { CARD_RSA_KEY_TAGS } from './cv-certificate.ts';
import { LIMITS } from './constants.ts';
import { sha256 } from './rsa.ts';

const WHAT = 'card-face EF 0002';
export const CARD_FACE_OUTER_TAG = 0xff20;

/** The fields in card order; `group` = which of DF28's three digests covers it (null: none). */
export const CARD_FACE_FIELDS = [
  { tag: 0xdf21, name: 'offsets', group: null, minLength: 18, maxLength: 18 }, // 9 × u16: DF22…DF2A
  { tag: 0xdf22, name: 'birthDate', group: 0, minLength: 8, maxLength: 8 }, // YYYYMMDD
  { tag: 0xdf23, name: 'sex', group: 0, minLength: 1, maxLength: 1 }, // JIS X 0303 digit
  { tag: 0xdf24, name: 'cardKey', group: 0, minLength: 265, maxLength: 265 }, // 90 03 e 91 82 01 00 n
  { tag: 0xdf25, name: 'nameImage', group: 1, minLength: 1, maxLength: LIMITS.maxCardFaceBytes }, // PNG
  { tag: 0xdf26, name: 'addressImage', group: 1, minLength: 1, maxLength: LIMITS.maxCardFaceBytes }, // PNG
  { tag: 0xdf27, name: 'photo', group: 2, minLength: 16, maxLength: LIMITS.maxCardFaceBytes }, // JPEG 2000 (JP2)
  { tag: 0xdf28, name: 'signature', group: null, minLength: 256, maxLength: 256 }, // RSA-2048 PKCS#1 v1.5
  { tag: 0xdf29, name: 'expiry', group: null, minLength: 0, maxLength: 64 }, // not signed, not used
  { tag: 0xdf2a, name: 'securityCodeImage', group: null, minLength: 0, maxLength: LIMITS.maxCardFaceBytes }, // not signed, not used
] as const;

/** JP2 signature box (ISO/IEC 15444-1 §I.5.1). */
const JP2_SIGNATURE = Uint8Array.from([0, 0, 0, 0x0c, 0x6a, 0x50, 0x20, 0x20, 0x0d, 0x0a, 0x87, 0x0a]);

export interface ParsedCardFace {
  /** JPEG 2000 (JP2), a view into the EF. */
  readonly photo: Uint8Array;
  readonly cardKey: { readonly modulus: Uint8Array; readonly exponent: Uint8Array };
  readonly signature: Uint8Array;
  /** SHA-256(DF22‖DF23‖DF24) ‖ SHA-256(DF25‖DF26) ‖ SHA-256(DF27): what DF28's DigestInfo holds. */
  readonly signedDigests: Uint8Array;
}

/** Length of the whole `FF20` object from the EF's first bytes (header + value, never the EF size). */
export function cardFaceTotalLength(head: Uint8Array): number {
  const h = readHeader(head, 0, WHAT, { maxDepth: 1, maxNodes: 1, maxLength: LIMITS.maxCardFaceBytes });
  if (h.tag !== CARD_FACE_OUTER_TAG) throw new MalformedResponseError(WHAT, `outer tag ${h.tag.toString(16)}, want FF20`);
  return h.headerLength + h.valueLength;
}

interface Field {
  readonly tag: number;
  readonly start: number;
  readonly tlv: Uint8Array;
  readonly value: Uint8Array;
}

/** The fields inside FF20, in order, with their offsets from the EF start; stops at filler. */
function fieldsOf(ef: Uint8Array): Field[] {
  const outer = parseOne(ef, WHAT, false, { maxDepth: 1, maxNodes: 1, maxLength: LIMITS.maxCardFaceBytes });
  if (outer.tag !== CARD_FACE_OUTER_TAG) throw new MalformedResponseError(WHAT, `outer tag ${outer.tag.toString(16)}, want FF20`);
  const base = ef.length - outer.value.length;
  const v = outer.value;
  const fields: Field[] = [];
  let at = 0;
  while (at < v.length) {
    if (fields.length > CARD_FACE_FIELDS.length) throw new MalformedResponseError(WHAT, `more than ${CARD_FACE_FIELDS.length} fields`);
    const first = v[at] ?? 0;
    if (first === 0x00 || first === 0xff) {
      if (v.subarray(at).some((b) => b !== first)) throw new MalformedResponseError(WHAT, `filler at ${base + at} is followed by data`);
      break;
    }
    const h = readHeader(v, at, WHAT, { maxDepth: 1, maxNodes: 1, maxLength: LIMITS.maxCardFaceBytes });
    const end = at + h.headerLength + h.valueLength;
    if (end > v.length) throw new MalformedResponseError(WHAT, `tag ${h.tag.toString(16)} runs past the end of FF20`);
    fields.push({ tag: h.tag, start: base + at, tlv: v.subarray(at, end), value: v.subarray(at + h.headerLength, end) });
    at = end;
  }
  return fields;
}

function checkOffsets(table: Uint8Array, fields: readonly Field[]): void {
  const following = fields.slice(1);
  if (table.length !== following.length * 2)
    throw new MalformedResponseError(WHAT, `offset table of ${table.length} bytes for ${following.length} fields`);
  following.forEach((f, i) => {
    const declared = ((table[2 * i] ?? 0) << 8) | (table[2 * i + 1] ?? 0);
    if (declared !== f.start)
      throw new MalformedResponseError(
        WHAT,
        `offset table says tag ${f.tag.toString(16).toUpperCase()} starts at ${declared}, it starts at ${f.start}`,
      );
  });
}

export function parseCardFace(ef: Uint8Array): ParsedCardFace {
  const fields = fieldsOf(ef);
  if (fields.length !== CARD_FACE_FIELDS.length)
    throw new MalformedResponseError(WHAT, `${fields.length} fields, want ${CARD_FACE_FIELDS.length} (DF21…DF2A)`);
  const groups: Uint8Array[][] = [[], [], []];
  const byName = new Map<string, Uint8Array>();
  CARD_FACE_FIELDS.forEach((spec, i) => {
    const f = fields[i];
    if (!f) return;
    const hex = spec.tag.toString(16).toUpperCase();
    if (f.tag !== spec.tag)
      throw new MalformedResponseError(WHAT, `field ${i + 1} is tag ${f.tag.toString(16).toUpperCase()}, want ${hex}`);
    if (f.value.length < spec.minLength || f.value.length > spec.maxLength)
      throw new MalformedResponseError(
        WHAT,
        `${spec.name} (tag ${hex}) has ${f.value.length} bytes, want ${spec.minLength}..${spec.maxLength}`,
      );
    if (spec.group !== null) groups[spec.group]?.push(f.tlv);
    byName.set(spec.name, f.value);
  });
  const get = (name: (typeof CARD_FACE_FIELDS)[number]['name']): Uint8Array => byName.get(name) ?? new Uint8Array(0);
  checkOffsets(get('offsets'), fields);
  const photo = get('photo');
  if (!JP2_SIGNATURE.every((b, i) => photo[i] === b)) throw new MalformedResponseError(WHAT, 'DF27 is not a JPEG 2000 (JP2) file');
  const cardKey = readTagged(get('cardKey'), CARD_RSA_KEY_TAGS, 'card public key DF24', true, {
    maxDepth: 1,
    maxNodes: 4,
    maxLength: 1024,
  });
  const signedDigests = new Uint8Array(96);
  groups.forEach((g, i) => signedDigests.set(sha256(...g), i * 32));
  return { photo, cardKey, signature: get('signature'), signedDigests };
}
