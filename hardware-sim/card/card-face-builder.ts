/**
 * Builds the card-face AP's data files as spec card-apdu.md §Files describes them:
 * - EF 0002 `FF20 82 LLLL { DF21 offsets, DF22 birth date, DF23 sex, DF24 card key, DF25 name
 *   image, DF26 address image, DF27 JP2 photo, DF28 signature, DF29 expiry, DF2A security-code
 *   image }` then `FF` filler to the end of the EF. DF21 holds the u16 offset of DF22…DF2A from
 *   the EF's first byte. DF28 = PKCS#1 v1.5 over `30 71 … 04 60` + SHA-256(DF22‖DF23‖DF24) ‖
 *   SHA-256(DF25‖DF26) ‖ SHA-256(DF27), each over the TLVs as written; DF29/DF2A are not covered.
 * - EF 0001 age record `FF10 { DF11, DF12 card key, DF13 }` and EF 0005 `FF40 { DF41, DF42, DF43 }`,
 *   each DF13/DF43 an RSA-SHA256 signature over the fields before it (the myna-card crate's reading).
 * - EF 0003 AP basic data `FF30 { DF31 … DF35 }`.
 * The parts are exposed so tests and the fuzzer can build cards that are wrong in one place.
 */
import { createHash, sign, type KeyObject } from 'node:crypto';
import { ascii, cat, tlv } from './ber.ts';
import { cardKeyField, DIGEST_INFO_HEAD, keyId, signPayload } from './card-keys.ts';

export interface CardFaceInput {
  readonly birthDate: string;
  readonly sex: '1' | '2' | '9';
  readonly expiry: string;
  readonly photoJp2: Uint8Array;
  readonly nameImage: Uint8Array;
  readonly addressImage: Uint8Array;
  readonly securityCodeImage: Uint8Array;
}

/** DF22…DF2A as TLVs (DF28 left to signCardFace), in card order. */
export interface CardFaceFields {
  readonly df22: Uint8Array;
  readonly df23: Uint8Array;
  readonly df24: Uint8Array;
  readonly df25: Uint8Array;
  readonly df26: Uint8Array;
  readonly df27: Uint8Array;
  readonly df29: Uint8Array;
  readonly df2a: Uint8Array;
}

const df = (low: number, value: Uint8Array): Uint8Array => tlv([0xdf, low], value);
const sha = (...parts: Uint8Array[]): Uint8Array =>
  new Uint8Array(
    createHash('sha256')
      .update(cat(...parts))
      .digest(),
  );

export function cardFaceFields(input: CardFaceInput, chipKey: KeyObject): CardFaceFields {
  return {
    df22: df(0x22, ascii(input.birthDate)),
    df23: df(0x23, ascii(input.sex)),
    df24: df(0x24, cardKeyField(chipKey)),
    df25: df(0x25, input.nameImage),
    df26: df(0x26, input.addressImage),
    df27: df(0x27, input.photoJp2),
    df29: df(0x29, ascii(input.expiry)),
    df2a: df(0x2a, input.securityCodeImage),
  };
}

/** The 96 bytes inside DF28's DigestInfo. */
export function cardFaceDigests(f: CardFaceFields): Uint8Array {
  return cat(sha(f.df22, f.df23, f.df24), sha(f.df25, f.df26), sha(f.df27));
}

/** DF28 TLV: PKCS#1 v1.5 by the CA-certified key over DigestInfo(three digests). */
export function signCardFace(f: CardFaceFields, signerKey: KeyObject): Uint8Array {
  return df(0x28, signPayload(signerKey, cat(DIGEST_INFO_HEAD.three, cardFaceDigests(f))));
}

export interface BuiltCardFace {
  /** The whole EF: the FF20 object, then FF filler. */
  readonly ef: Uint8Array;
  /** Length of the FF20 object (what a reader reads). */
  readonly objectLength: number;
  /** Where each field's TLV sits in the EF (for tests and the fuzz oracle). */
  readonly layout: readonly { readonly tag: number; readonly start: number; readonly length: number; readonly valueStart: number }[];
}

/**
 * DF21 + `fields` (in the order given) inside `FF20 82 LLLL`, then FF filler to `efSize`
 * (default: the next multiple of 1 KiB, at least 10 KiB). `offsets` overrides the true table.
 */
export function assembleCardFace(fields: readonly Uint8Array[], options: { efSize?: number; offsets?: Uint8Array } = {}): BuiltCardFace {
  const tableLength = 3 + (options.offsets?.length ?? fields.length * 2); // DF 21 LL + u16 per field
  const offsets = new Uint8Array(fields.length * 2);
  const layout: { tag: number; start: number; length: number; valueStart: number }[] = [];
  let at = 5 + tableLength;
  for (const [i, f] of fields.entries()) {
    offsets[i * 2] = at >> 8;
    offsets[i * 2 + 1] = at & 0xff;
    const lenByte = f[2] ?? 0;
    const header = lenByte < 0x80 ? 3 : 3 + (lenByte & 0x7f);
    layout.push({ tag: ((f[0] ?? 0) << 8) | (f[1] ?? 0), start: at, length: f.length, valueStart: at + header });
    at += f.length;
  }
  const table = df(0x21, options.offsets ?? offsets);
  layout.unshift({ tag: 0xdf21, start: 5, length: table.length, valueStart: 8 });
  const object = tlv([0xff, 0x20], cat(table, ...fields), true);
  const size = options.efSize ?? Math.max(10_240, Math.ceil((object.length + 1) / 1024) * 1024);
  if (object.length > size || size > 0x7fff) throw new RangeError(`card-face object of ${object.length} bytes in an EF of ${size}`);
  const ef = new Uint8Array(size).fill(0xff);
  ef.set(object, 0);
  return { ef, objectLength: object.length, layout };
}

/** EF 0002 as the card holds it, with its fields (so a variant can be built from them). */
export function buildCardFace(
  input: CardFaceInput,
  chipKey: KeyObject,
  signerKey: KeyObject,
): BuiltCardFace & { readonly fields: CardFaceFields } {
  const f = cardFaceFields(input, chipKey);
  return { ...assembleCardFace([f.df22, f.df23, f.df24, f.df25, f.df26, f.df27, signCardFace(f, signerKey), f.df29, f.df2a]), fields: f };
}

/** A record signed over every field before its signature (EF 0001 `FF10`, EF 0005 `FF40`). */
function signedRecord(outer: readonly number[], fields: readonly Uint8Array[], sigTag: number, signerKey: KeyObject): Uint8Array {
  const signed = cat(...fields);
  return tlv(outer, cat(signed, df(sigTag, new Uint8Array(sign('sha256', signed, signerKey)))), true);
}

/** EF 0001: birth date, card key, signature (opened by the 生年月日 key 0011). */
export function buildAgeRecord(birthDate: string, chipKey: KeyObject, signerKey: KeyObject): Uint8Array {
  return signedRecord([0xff, 0x10], [df(0x11, ascii(birthDate)), df(0x12, cardKeyField(chipKey))], 0x13, signerKey);
}

/** EF 0005: the rendered 個人番号 image, card key, signature (opened by 照合番号A only). */
export function buildMyNumberImage(image: Uint8Array, chipKey: KeyObject, signerKey: KeyObject): Uint8Array {
  return signedRecord([0xff, 0x40], [df(0x41, image), df(0x42, cardKeyField(chipKey))], 0x43, signerKey);
}

/** EF 0003: layout id, a key id, version, municipality code, a key id + 256 opaque bytes. */
export function buildApBasicData(municipalityCode: string, opaque: Uint8Array): Uint8Array {
  if (!/^[0-9]{5}$/.test(municipalityCode) || opaque.length !== 256) throw new RangeError('AP basic data');
  return tlv(
    [0xff, 0x30],
    cat(
      df(0x31, Uint8Array.of(0x06, 0x03, 0x0e, 0x01)),
      df(0x32, keyId('9000024', '001')),
      df(0x33, Uint8Array.of(0x00)),
      df(0x34, ascii(municipalityCode)),
      df(0x35, cat(keyId('9900025', '001'), opaque)),
    ),
    true,
  );
}
