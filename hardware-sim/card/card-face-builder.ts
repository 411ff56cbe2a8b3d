/**
 * Builds EF 0002 of the 券面事項確認AP: FF20 { DF21 offsets, DF22 birth date, DF23 sex, DF24
 * card public key (90 e, 91 n), DF25 name image, DF26 address image, DF27 JP2 photo, DF28
 * signature, DF29 expiry, DF2A security-code image }, DF28 signed the way
 * firmware/apdu/myna/card-face.ts verifies it (three SHA-256 digests, RSASSA-PKCS1-v1_5).
 */
import { createHash, sign, type KeyObject } from 'node:crypto';
import { encodeTlv } from '../../firmware/apdu/tlv.ts';
import { rsaParts } from './cv-certificate-builder.ts';

export interface CardFaceInput {
  readonly birthDate: string;
  readonly sex: '1' | '2' | '9';
  readonly expiry: string;
  readonly photoJp2: Uint8Array;
  readonly nameImage: Uint8Array;
  readonly addressImage: Uint8Array;
  readonly securityCodeImage: Uint8Array;
}

const ascii = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'latin1'));
const cat = (parts: readonly Uint8Array[]): Uint8Array => new Uint8Array(Buffer.concat(parts));
const sha = (parts: readonly Uint8Array[]): Buffer => createHash('sha256').update(cat(parts)).digest();

export function buildCardFace(input: CardFaceInput, chipKey: KeyObject, signerKey: KeyObject): Uint8Array {
  const { n, e } = rsaParts(chipKey);
  const t22 = encodeTlv(0xdf22, ascii(input.birthDate));
  const t23 = encodeTlv(0xdf23, ascii(input.sex));
  const t24 = encodeTlv(0xdf24, cat([encodeTlv(0x90, e), encodeTlv(0x91, n)]));
  const t25 = encodeTlv(0xdf25, input.nameImage);
  const t26 = encodeTlv(0xdf26, input.addressImage);
  const t27 = encodeTlv(0xdf27, input.photoJp2);
  const digests = cat([sha([t22, t23, t24]), sha([t25, t26]), sha([t27])]);
  const t28 = encodeTlv(0xdf28, new Uint8Array(sign('sha256', digests, signerKey)));
  const t29 = encodeTlv(0xdf29, ascii(input.expiry));
  const t2a = encodeTlv(0xdf2a, input.securityCodeImage);
  const rest = [t22, t23, t24, t25, t26, t27, t28, t29, t2a];
  // DF21: 2-byte offsets of DF22…DF2A from the start of the EF (outer header 5 bytes, DF21 21 bytes).
  let at = 5 + 3 + rest.length * 2;
  const offsets = new Uint8Array(rest.length * 2);
  rest.forEach((t, i) => {
    offsets[i * 2] = at >> 8;
    offsets[i * 2 + 1] = at & 0xff;
    at += t.length;
  });
  const body = cat([encodeTlv(0xdf21, offsets), ...rest]);
  if (body.length < 256 || body.length > 0x7fff - 5) throw new RangeError(`card-face EF would be ${body.length} bytes`);
  // Always the 3-byte length form (FF 20 82 LL LL), as on the card.
  return cat([Uint8Array.of(0xff, 0x20, 0x82, body.length >> 8, body.length & 0xff), body]);
}
