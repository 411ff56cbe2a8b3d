/**
 * RSA helpers on node:crypto: SHA-256, DigestInfo (RFC 8017 §9.2) with one or several digests
 * in its OCTET STRING, PKCS#1 v1.5 verification by recovering the signed block and comparing it
 * byte for byte with the DigestInfo we expect, and public keys from an SPKI or from a raw
 * modulus/exponent pair (DF24, EF 0004, the shipped CA keys).
 */
import { constants, createHash, createPublicKey, publicDecrypt, type KeyObject } from 'node:crypto';
import { MalformedResponseError } from '../errors.ts';
import { SignatureInvalidError, type SignatureCheck } from './errors.ts';

export function sha256(...parts: Uint8Array[]): Uint8Array {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
}

/** AlgorithmIdentifier sha256 with NULL parameters (DER). */
const SHA256_ALGORITHM = Uint8Array.from([0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00]);

/**
 * DigestInfo { sha256, OCTET STRING `digests` }. `digests` is one SHA-256 (32 bytes: the usual
 * 51-byte DigestInfo `30 31 … 04 20`) or the card face's three (96 bytes: `30 71 … 04 60`).
 */
export function sha256DigestInfo(digests: Uint8Array): Uint8Array {
  if (digests.length === 0 || digests.length % 32 !== 0 || digests.length > 96)
    throw new RangeError(`DigestInfo of ${digests.length} digest bytes`);
  const inner = SHA256_ALGORITHM.length + 2 + digests.length;
  const out = new Uint8Array(2 + inner);
  out.set([0x30, inner], 0);
  out.set(SHA256_ALGORITHM, 2);
  out.set([0x04, digests.length], 2 + SHA256_ALGORITHM.length);
  out.set(digests, 4 + SHA256_ALGORITHM.length);
  return out;
}

/**
 * PKCS#1 v1.5 signature check: the block recovered with `key` must be `00 01 FF… 00` followed by
 * exactly `expected` (OpenSSL checks the padding; we compare the payload). Anything else is a
 * SignatureInvalidError for `check`.
 */
export function verifyPkcs1(key: KeyObject, signature: Uint8Array, expected: Uint8Array, check: SignatureCheck): void {
  const bytes = (key.asymmetricKeyDetails?.modulusLength ?? 0) / 8;
  if (signature.length !== bytes)
    throw new SignatureInvalidError(check, `${check} signature is ${signature.length} bytes, the key needs ${bytes}`);
  let payload: Buffer;
  try {
    payload = publicDecrypt({ key, padding: constants.RSA_PKCS1_PADDING }, signature);
  } catch (err) {
    throw new SignatureInvalidError(check, `${check} signature does not verify (no PKCS#1 v1.5 block)`, { cause: err });
  }
  const ok = payload.length === expected.length && Buffer.compare(payload, expected) === 0;
  payload.fill(0);
  if (!ok) throw new SignatureInvalidError(check);
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
  if (e.length < 1 || e.length > 8 || ((e[e.length - 1] ?? 0) & 1) === 0 || (e.length === 1 && (e[0] ?? 0) < 3))
    throw new MalformedResponseError(what, 'bad RSA exponent');
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
