/**
 * The pairing's P-256 keys on Node's WebCrypto: generate, import and export as PEM, and the
 * SPKI fingerprint shown for pairing. (@peculiar/x509 itself is loaded in core/x509.ts.)
 */
import { webcrypto } from 'node:crypto';
import { x509 } from '../../core/x509.ts';

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;
export type { CryptoKey, CryptoKeyPair };

export const subtle = webcrypto.subtle;
export const EC = { name: 'ECDSA', namedCurve: 'P-256' } as const;
export const SIGN = { name: 'ECDSA', hash: 'SHA-256' } as const;

export async function generateP256(): Promise<CryptoKeyPair> {
  return (await subtle.generateKey(EC, true, ['sign', 'verify'])) as CryptoKeyPair;
}

export async function privateKeyPem(key: CryptoKey): Promise<string> {
  return x509.PemConverter.encode(await subtle.exportKey('pkcs8', key), 'PRIVATE KEY');
}

/** Imports a PKCS#8 PEM P-256 key pair (the public half derived through JWK). */
export async function importP256(pem: string): Promise<CryptoKeyPair> {
  const der = x509.PemConverter.decodeFirst(pem);
  const privateKey = await subtle.importKey('pkcs8', der, EC, true, ['sign']);
  const jwk = await subtle.exportKey('jwk', privateKey);
  const publicKey = await subtle.importKey('jwk', { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y, ext: true }, EC, true, ['verify']);
  return { privateKey, publicKey } as CryptoKeyPair;
}

/** SHA-256 of the SubjectPublicKeyInfo, lowercase hex: the key fingerprint shown for pairing. */
export async function spkiFingerprint(publicKey: CryptoKey | ArrayBuffer): Promise<string> {
  const spki = publicKey instanceof ArrayBuffer ? publicKey : await subtle.exportKey('spki', publicKey);
  return Buffer.from(await subtle.digest('SHA-256', spki)).toString('hex');
}
