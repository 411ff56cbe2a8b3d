/**
 * Key and certificate plumbing for the test PKI: RSA-2048 key pairs from node:crypto, PEM
 * storage, and X.509 certificates signed with @peculiar/x509 on WebCrypto.
 */
import { createPrivateKey, createPublicKey, generateKeyPair, webcrypto, type KeyObject } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { x509 } from '../../firmware/core/x509.ts';

const genRsa = promisify(generateKeyPair);
const ALG = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const;

export async function newRsaKey(): Promise<KeyObject> {
  const { privateKey } = await genRsa('rsa', { modulusLength: 2048, publicExponent: 0x10001 });
  return privateKey;
}

export async function saveKey(path: string, key: KeyObject): Promise<void> {
  await writeFile(path, key.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600 });
}

export async function loadKey(path: string): Promise<KeyObject> {
  return createPrivateKey(await readFile(path));
}

export function spkiOf(key: KeyObject): Uint8Array {
  return new Uint8Array(createPublicKey(key).export({ format: 'der', type: 'spki' }));
}

type WebKey = webcrypto.CryptoKey;

async function cryptoPair(key: KeyObject): Promise<{ privateKey: WebKey; publicKey: WebKey }> {
  const pkcs8 = key.export({ format: 'der', type: 'pkcs8' });
  const privateKey = await webcrypto.subtle.importKey('pkcs8', pkcs8, ALG, true, ['sign']);
  const publicKey = await webcrypto.subtle.importKey('spki', spkiOf(key), ALG, true, ['verify']);
  return { privateKey, publicKey };
}

export interface CertSpec {
  readonly subject: string;
  readonly serial: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly ca: boolean;
}

/** A certificate for `subjectKey` signed by `issuerKey` (self-signed when the same key and names). */
export async function makeCertificate(
  spec: CertSpec,
  subjectKey: KeyObject,
  issuer: { name: string; key: KeyObject },
): Promise<Uint8Array> {
  const subject = await cryptoPair(subjectKey);
  const signer = await cryptoPair(issuer.key);
  const ext: x509.Extension[] = [new x509.BasicConstraintsExtension(spec.ca, undefined, true)];
  ext.push(
    new x509.KeyUsagesExtension(
      spec.ca ? x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign : x509.KeyUsageFlags.digitalSignature,
      true,
    ),
  );
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: spec.serial,
    subject: spec.subject,
    issuer: issuer.name,
    notBefore: spec.notBefore,
    notAfter: spec.notAfter,
    signingAlgorithm: ALG,
    publicKey: subject.publicKey,
    signingKey: signer.privateKey,
    extensions: ext,
  });
  return new Uint8Array(cert.rawData);
}
