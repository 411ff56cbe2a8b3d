/**
 * The one place that loads @peculiar/x509: `reflect-metadata` must be imported first (its
 * ASN.1 schemas use decorators), and the library is pointed at Node's WebCrypto.
 */
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;
export type { CryptoKey, CryptoKeyPair };

export { x509 };
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
