/**
 * How the virtual card writes keys and signs (spec card-apdu.md §EF 0004, DF28), kept apart from
 * the firmware's verifier: an RSA-2048 public key as `90 03 <e> 91 82 01 00 <n>`, 16-byte key ids,
 * and PKCS#1 v1.5 signatures whose payload is a DigestInfo written out byte for byte.
 */
import { constants, createPublicKey, privateEncrypt, type KeyObject } from 'node:crypto';
import { ascii, cat, tlv } from './ber.ts';

/** DigestInfo headers for SHA-256 with 32 (one digest) and 96 (DF28's three) bytes. */
export const DIGEST_INFO_HEAD = {
  one: Uint8Array.from(Buffer.from('3031300d060960864801650304020105000420', 'hex')),
  three: Uint8Array.from(Buffer.from('3071300d060960864801650304020105000460', 'hex')),
} as const;

/** PKCS#1 v1.5 type 1 block over `payload` exactly (the card signs what it is given). */
export function signPayload(key: KeyObject, payload: Uint8Array): Uint8Array {
  return new Uint8Array(privateEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, payload));
}

export function rsaParts(key: KeyObject): { n: Uint8Array; e: Uint8Array } {
  const jwk = createPublicKey(key).export({ format: 'jwk' });
  return { n: new Uint8Array(Buffer.from(jwk.n ?? '', 'base64url')), e: new Uint8Array(Buffer.from(jwk.e ?? '', 'base64url')) };
}

/** `90 03 e 91 82 01 00 n`: 265 bytes for an RSA-2048 key with e = 65537. */
export function cardKeyField(key: KeyObject): Uint8Array {
  const { n, e } = rsaParts(key);
  if (n.length !== 256) throw new RangeError(`RSA modulus of ${n.length} bytes, the card holds RSA-2048`);
  return cat(tlv([0x90], e), tlv([0x91], n, true));
}

/** A 16-byte key id: 7 digits, 08 05, 3 digits, 4 padding bytes. */
export function keyId(number: string, group: string, padding: readonly number[] = [0, 0, 0, 0]): Uint8Array {
  if (!/^[0-9]{7}$/.test(number) || !/^[0-9]{3}$/.test(group) || padding.length !== 4) throw new RangeError(`key id ${number}/${group}`);
  return cat(ascii(number), Uint8Array.of(0x08, 0x05), ascii(group), Uint8Array.from(padding));
}
