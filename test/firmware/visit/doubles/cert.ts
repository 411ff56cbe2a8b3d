/**
 * A real RSA-2048 key and self-signed X.509 user-auth certificate for the scripted card, made
 * once per test process (nothing committed). The scripted card signs with the key exactly like
 * the JPKI applet does (PKCS#1 v1.5 over SHA-256 of the challenge).
 */
import { KeyObject, webcrypto } from 'node:crypto';
import { x509 } from '../../../../firmware/core/x509.ts';

export interface TestIdentity {
  readonly der: Uint8Array;
  readonly serial: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly privateKey: KeyObject;
}

const cache = new Map<string, Promise<TestIdentity>>();

async function make(notBefore: Date, notAfter: Date): Promise<TestIdentity> {
  const alg = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 };
  const keys = await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify']);
  const serial = Buffer.from(webcrypto.getRandomValues(new Uint8Array(8)))
    .toString('hex')
    .replace(/^[89a-f]/, '1');
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial,
    name: 'CN=kaoreader test user-auth, O=JPKI test',
    notBefore,
    notAfter,
    signingAlgorithm: alg,
    keys: keys as unknown as Parameters<typeof x509.X509CertificateGenerator.createSelfSigned>[0]['keys'],
  });
  return { der: new Uint8Array(cert.rawData), serial, notBefore, notAfter, privateKey: KeyObject.from(keys.privateKey) };
}

/** A valid identity (2020–2035) or an expired one (2015–2020). */
export function testIdentity(kind: 'valid' | 'expired' = 'valid'): Promise<TestIdentity> {
  let p = cache.get(kind);
  if (!p) {
    p =
      kind === 'valid'
        ? make(new Date('2020-01-01T00:00:00Z'), new Date('2035-01-01T00:00:00Z'))
        : make(new Date('2015-01-01T00:00:00Z'), new Date('2020-01-01T00:00:00Z'));
    cache.set(kind, p);
  }
  return p;
}
