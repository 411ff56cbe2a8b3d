/**
 * Builds EF 0004 of the card-face AP exactly as spec card-apdu.md §EF 0004 lays it out:
 *   7F21 82 0233 { 5F4E 82 0129 <issuer id 16><subject id 16><90 03 e 91 82 01 00 n>,
 *                  5F37 82 0100 <RSA-SHA256 PKCS#1 v1.5 by the issuer over the 297-byte 5F4E value> }
 */
import { sign, type KeyObject } from 'node:crypto';
import { cat, tlv } from './ber.ts';
import { cardKeyField } from './card-keys.ts';

export function cvBody(subjectKey: KeyObject, subjectId: Uint8Array, issuerId: Uint8Array): Uint8Array {
  return cat(issuerId, subjectId, cardKeyField(subjectKey));
}

/** The 7F21 template around a body and its signature (as given: tests build wrong ones). */
export function cvTemplate(body: Uint8Array, signature: Uint8Array): Uint8Array {
  return tlv([0x7f, 0x21], cat(tlv([0x5f, 0x4e], body), tlv([0x5f, 0x37], signature)));
}

export function buildCvCertificate(subjectKey: KeyObject, subjectId: Uint8Array, issuerId: Uint8Array, issuerKey: KeyObject): Uint8Array {
  const body = cvBody(subjectKey, subjectId, issuerId);
  if (body.length !== 297) throw new RangeError(`CV body of ${body.length} bytes`);
  return cvTemplate(body, new Uint8Array(sign('sha256', body, issuerKey)));
}
