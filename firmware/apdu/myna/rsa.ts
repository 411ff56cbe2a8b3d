/**
 * RSA helpers on node:crypto: SHA-256 DigestInfo, PKCS#1 v1.5 verification, and public keys from
 * an SPKI or from a raw modulus/exponent pair (DF24, CV certificates).
 */
import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { MalformedResponseError } from '../errors.ts';
import { SHA256_DIGEST_INFO_PREFIX } from './constants.ts';

export function sha256(...parts: Uint8Array[]): Uint8Array {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
}

/** DigestInfo(SHA-256, digest): 51 bytes. */
export function digestInfoSha256(digest: Uint8Array): Uint8Array {
  if (digest.length !== 32) throw new RangeError('SHA-256 digest must be 32 bytes');
  const out = new Uint8Array(SHA256_DIGEST_INFO_PREFIX.length + 32);
  out.set(SHA256_DIGEST_INFO_PREFIX, 0);
  out.set(digest, SHA256_DIGEST_INFO_PREFIX.length);
  return out;
}

/** RSASSA-PKCS1-v1_5 with SHA-256 over `message`. False for any mismatch, never throws on bad bytes. */
export function verifyRsaSha256(key: KeyObject, message: Uint8Array, signature: Uint8Array): boolean {
  try {
    return verify('sha256', message, key, signature);
  } catch {
    return false; // malformed signature bytes are simply "does not verify"
  }
}

const b64u = (b: Uint8Array): string => Buffer.from(b).toString('base64url');

function stripZeros(b: Uint8Array): Uint8Array {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  return b.subarray(i);
}

/** RSA public key from big-endian modulus and exponent. */
export function rsaPublicKey(modulus: Uint8Array, exponent: Uint8Array, what: string): KeyObject {
  const n = stripZeros(modulus);
  const e = stripZeros(exponent);
  if (n.length < 128 || n.length > 512 || (n[0] ?? 0) === 0) throw new MalformedResponseError(what, `RSA modulus of ${n.length} bytes`);
  if (e.length < 1 || e.length > 8 || ((e[e.length - 1] ?? 0) & 1) === 0) throw new MalformedResponseError(what, 'bad RSA exponent');
  try {
    return createPublicKey({ key: { kty: 'RSA', n: b64u(n), e: b64u(e) }, format: 'jwk' });
  } catch (err) {
    throw new MalformedResponseError(what, `unusable RSA key (${(err as Error).message})`);
  }
}

export function spkiPublicKey(spki: Uint8Array, what: string): KeyObject {
  try {
    return createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
  } catch (err) {
    throw new MalformedResponseError(what, `unusable public key (${(err as Error).message})`);
  }
}
