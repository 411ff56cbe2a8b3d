/**
 * Builds the card-face CV certificate (EF 0004) in the shape firmware/apdu/myna/cv-certificate.ts
 * reads: 7F21 { 7F4E { 5F29, 42 CAR, 7F49 { 81 n, 82 e }, 5F20 CHR }, 5F37 signature }.
 */
import { createPublicKey, sign, type KeyObject } from 'node:crypto';
import { encodeTlv } from '../../firmware/apdu/tlv.ts';

const cat = (...parts: Uint8Array[]): Uint8Array => new Uint8Array(Buffer.concat(parts));
const ascii = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'latin1'));

export function rsaParts(key: KeyObject): { n: Uint8Array; e: Uint8Array } {
  const jwk = createPublicKey(key).export({ format: 'jwk' });
  return { n: new Uint8Array(Buffer.from(jwk.n ?? '', 'base64url')), e: new Uint8Array(Buffer.from(jwk.e ?? '', 'base64url')) };
}

export function buildCvCertificate(holderKey: KeyObject, holderReference: string, issuerReference: string, issuerKey: KeyObject): Uint8Array {
  const { n, e } = rsaParts(holderKey);
  const body = encodeTlv(0x7f4e, cat(
    encodeTlv(0x5f29, Uint8Array.of(0)),
    encodeTlv(0x42, ascii(issuerReference)),
    encodeTlv(0x7f49, cat(encodeTlv(0x81, n), encodeTlv(0x82, e))),
    encodeTlv(0x5f20, ascii(holderReference)),
  ));
  const signature = new Uint8Array(sign('sha256', body, issuerKey));
  return encodeTlv(0x7f21, cat(body, encodeTlv(0x5f37, signature)));
}
