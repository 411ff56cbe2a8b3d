/**
 * CV certificate of the card-face signing key (EF 0004), card-verifiable certificate shape
 * (ISO/IEC 7816-8 style):
 *   7F21 { 7F4E { 5F29 profile, 42 CAR, 7F49 { 81 modulus, 82 exponent }, 5F20 CHR }, 5F37 sig }
 * The signature is RSASSA-PKCS1-v1_5/SHA-256 by the issuer (CAR) over the 7F4E encoding.
 * Issuer keys are configured on the device (production J-LIS keys ship with readers; the
 * simulator uses a test issuer of ours).
 */
import type { KeyObject } from 'node:crypto';
import { MalformedResponseError } from '../errors.ts';
import { readTagged } from '../tag-table.ts';
import { parseOne, parseTlvs } from '../tlv.ts';
import { SignatureInvalidError } from './errors.ts';
import { rsaPublicKey, spkiPublicKey, verifyRsaSha256 } from './rsa.ts';

const LIM = { maxDepth: 3, maxNodes: 16, maxLength: 2048 };

export const CV_CERT_TAGS = {
  body: { tag: 0x7f4e, required: true },
  signature: { tag: 0x5f37, required: true, minLength: 128, maxLength: 512 },
} as const;

export const CV_BODY_TAGS = {
  profile: { tag: 0x5f29, required: true, minLength: 1, maxLength: 1 },
  issuerReference: { tag: 0x42, required: true, minLength: 1, maxLength: 16 },
  publicKey: { tag: 0x7f49, required: true },
  holderReference: { tag: 0x5f20, required: true, minLength: 1, maxLength: 16 },
} as const;

export const CV_KEY_TAGS = {
  modulus: { tag: 0x81, required: true, minLength: 128, maxLength: 512 },
  exponent: { tag: 0x82, required: true, minLength: 1, maxLength: 8 },
} as const;

export interface CardFaceIssuerKey {
  /** The CAR as ASCII (`JPTESTCVCA00001`). */
  readonly reference: string;
  /** SPKI DER of the issuer's RSA public key. */
  readonly publicKey: Uint8Array;
}

/** Parses and verifies the CV certificate; returns the card-face signing key. */
export function verifyCvCertificate(ef: Uint8Array, issuers: readonly CardFaceIssuerKey[]): KeyObject {
  const what = 'CV certificate EF 0004';
  const outer = parseOne(ef, what, true, LIM);
  if (outer.tag !== 0x7f21) throw new MalformedResponseError(what, `outer tag ${outer.tag.toString(16)}, want 7F21`);
  const cert = readTagged(outer.value, CV_CERT_TAGS, what, true, LIM);
  const body = readTagged(cert.body, CV_BODY_TAGS, what, false, LIM);
  const key = readTagged(body.publicKey, CV_KEY_TAGS, what, false, LIM);
  const car = Buffer.from(body.issuerReference).toString('latin1');
  const issuer = issuers.find((i) => i.reference === car);
  if (!issuer) throw new SignatureInvalidError('cv-certificate', `CV certificate issuer "${car}" is not configured`);
  // The signed bytes are the 7F4E TLV exactly as stored.
  const span = parseTlvs(outer.value, what, LIM).find((t) => t.tag === 0x7f4e);
  const bodyTlv = span ? outer.value.subarray(span.offset, span.offset + span.length) : new Uint8Array(0);
  if (!verifyRsaSha256(spkiPublicKey(issuer.publicKey, 'CV issuer key'), bodyTlv, cert.signature)) throw new SignatureInvalidError('cv-certificate');
  return rsaPublicKey(key.modulus, key.exponent, what);
}
