/**
 * Revocation lists for the test PKI: an X.509 CRL signed by a CA key (@peculiar/x509 on
 * WebCrypto), for the simulated facility and the refusal tests (a revoked card).
 */
import { webcrypto, type KeyObject } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { x509 } from '../../firmware/core/x509.ts';
import { CA_NAME, type TestPki } from './test-pki.ts';

const ALG = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const;

export interface CrlSpec {
  readonly issuer: string;
  readonly key: KeyObject;
  /** Hex serials of the revoked certificates. */
  readonly revoked: readonly string[];
  readonly thisUpdate: Date;
  readonly nextUpdate: Date;
}

export async function makeCrl(spec: CrlSpec): Promise<Uint8Array> {
  const signingKey = await webcrypto.subtle.importKey('pkcs8', spec.key.export({ format: 'der', type: 'pkcs8' }), ALG, false, ['sign']);
  const crl = await x509.X509CrlGenerator.create({
    issuer: spec.issuer,
    thisUpdate: spec.thisUpdate,
    nextUpdate: spec.nextUpdate,
    signingAlgorithm: ALG,
    signingKey,
    entries: spec.revoked.map((serialNumber) => ({ serialNumber, revocationDate: spec.thisUpdate })),
  });
  return new Uint8Array(crl.rawData);
}

/** The test user-auth CA's CRL (PEM) at `path`, revoking `revoked`, valid for a week from now. */
export async function writeTestCrl(pki: TestPki, path: string, revoked: readonly string[] = [], now = Date.now()): Promise<string> {
  const der = await makeCrl({
    issuer: CA_NAME,
    key: pki.authCa.key,
    revoked,
    thisUpdate: new Date(now - 60_000),
    nextUpdate: new Date(now + 7 * 86_400_000),
  });
  await writeFile(
    path,
    `-----BEGIN X509 CRL-----\n${Buffer.from(der)
      .toString('base64')
      .replace(/(.{64})/g, '$1\n')
      .trim()}\n-----END X509 CRL-----\n`,
  );
  return path;
}
