/**
 * EF 0004 of the 券面事項確認AP: the card-verifiable certificate of the key that signs the AP's
 * records (spec card-apdu.md §EF 0004):
 *   7F21 82 0233
 *     5F4E 82 0129   16 issuer key id | 16 subject key id | 90 03 <e> 91 82 01 00 <n>  (297 bytes)
 *     5F37 82 0100   PKCS#1 v1.5 / SHA-256 by the issuer's CA key over the 5F4E *value*
 * The CA key is never on the card: it is looked up by the 16-byte issuer id among the keys the
 * reader ships and the ones configured. An id it does not know is CardFaceIssuerUnknownError.
 */
import type { KeyObject } from 'node:crypto';
import { MalformedResponseError } from '../errors.ts';
import { readTagged } from '../tag-table.ts';
import { parseOne } from '../tlv.ts';
import type { CardFaceIssuerKey } from './card-face-issuers.ts';
import { CardFaceIssuerUnknownError } from './errors.ts';
import { formatKeyId, KEY_ID_LENGTH, parseKeyId, sameKeyId } from './key-id.ts';
import { rsaPublicKey, sha256, sha256DigestInfo, verifyPkcs1 } from './rsa.ts';

const WHAT = 'CV certificate EF 0004';
const LIM = { maxDepth: 2, maxNodes: 4, maxLength: 1024 };

export const CV_OUTER_TAG = 0x7f21;
/** 2 key ids + an RSA-2048 key `90 03 e 91 82 01 00 n`. */
export const CV_BODY_LENGTH = 297;

export const CV_CERT_TAGS = {
  body: { tag: 0x5f4e, required: true, minLength: CV_BODY_LENGTH, maxLength: CV_BODY_LENGTH },
  signature: { tag: 0x5f37, required: true, minLength: 256, maxLength: 256 },
} as const;

/** An RSA-2048 public key as the card writes it (EF 0004 body, DF24). */
export const CARD_RSA_KEY_TAGS = {
  exponent: { tag: 0x90, required: true, minLength: 1, maxLength: 8 },
  modulus: { tag: 0x91, required: true, minLength: 256, maxLength: 256 },
} as const;

export interface CheckedCvCertificate {
  /** The key that signs the AP's records (DF28). */
  readonly signingKey: KeyObject;
  readonly issuerKeyId: string;
  readonly subjectKeyId: string;
}

/** Parses EF 0004 exactly and checks its signature with the CA key its issuer id names. */
export function verifyCvCertificate(ef: Uint8Array, issuers: readonly CardFaceIssuerKey[]): CheckedCvCertificate {
  const outer = parseOne(ef, WHAT, false, LIM);
  if (outer.tag !== CV_OUTER_TAG) throw new MalformedResponseError(WHAT, `outer tag ${outer.tag.toString(16)}, want 7F21`);
  const cert = readTagged(outer.value, CV_CERT_TAGS, WHAT, true, LIM);
  const issuerId = parseKeyId(cert.body.subarray(0, KEY_ID_LENGTH), `${WHAT} issuer key id`);
  const subjectId = parseKeyId(cert.body.subarray(KEY_ID_LENGTH, 2 * KEY_ID_LENGTH), `${WHAT} subject key id`);
  const key = readTagged(cert.body.subarray(2 * KEY_ID_LENGTH), CARD_RSA_KEY_TAGS, `${WHAT} public key`, true, LIM);
  const issuer = issuers.find((i) => sameKeyId(i.keyId, issuerId));
  if (!issuer) throw new CardFaceIssuerUnknownError(formatKeyId(issuerId));
  verifyPkcs1(issuer.publicKey, cert.signature, sha256DigestInfo(sha256(cert.body)), 'cv-certificate');
  return {
    signingKey: rsaPublicKey(key.modulus, key.exponent, WHAT),
    issuerKeyId: formatKeyId(issuerId),
    subjectKeyId: formatKeyId(subjectId),
  };
}
