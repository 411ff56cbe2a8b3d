/**
 * The simulator's test PKI, generated on first use under var/ (never committed): a JPKI
 * user-auth CA, a JPKI signature CA, a card-face CV issuer and its card-face signing key with
 * CV certificate, and a terminal key for simulated 特定機関認証.
 */
import { generateKeyPairSync, createPublicKey, type KeyObject } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MyNumberCardTrust } from '../../firmware/apdu/myna/client.ts';
import { buildCvCertificate } from './cv-certificate-builder.ts';
import { ensureGenerated } from './generated-dir.ts';
import { loadKey, makeCertificate, newRsaKey, saveKey, spkiOf } from './keys.ts';

export const CA_NAME = 'C=JP, O=kaoreader test, OU=JPKI test, CN=Test JPKI User Authentication CA';
export const SIGN_CA_NAME = 'C=JP, O=kaoreader test, OU=JPKI test, CN=Test JPKI Signature CA';
export const CV_ISSUER_REF = 'JPTESTCVCA00001';
export const FACE_SIGNER_REF = 'JPTESTFACE00001';

export interface TestPki {
  readonly authCa: { readonly certificate: Uint8Array; readonly key: KeyObject };
  readonly signCa: { readonly certificate: Uint8Array; readonly key: KeyObject };
  readonly cvIssuer: { readonly reference: string; readonly key: KeyObject };
  readonly faceSigner: { readonly key: KeyObject; readonly cvCertificate: Uint8Array };
  readonly terminal: { readonly privateKey: KeyObject; readonly publicKey: KeyObject };
}

export async function loadTestPki(dir = 'var/sim-card/pki'): Promise<TestPki> {
  await ensureGenerated(dir, async (tmp) => {
    const now = Date.now();
    const validity = { notBefore: new Date(now - 86_400_000), notAfter: new Date(now + 20 * 365 * 86_400_000) };
    for (const [file, name] of [['auth-ca', CA_NAME], ['sign-ca', SIGN_CA_NAME]] as const) {
      const key = await newRsaKey();
      await saveKey(join(tmp, `${file}.key.pem`), key);
      await writeFile(join(tmp, `${file}.crt.der`), await makeCertificate({ subject: name, serial: '01', ca: true, ...validity }, key, { name, key }));
    }
    const cvca = await newRsaKey();
    await saveKey(join(tmp, 'cvca.key.pem'), cvca);
    const signer = await newRsaKey();
    await saveKey(join(tmp, 'face-signer.key.pem'), signer);
    await writeFile(join(tmp, 'face-signer.cvc'), buildCvCertificate(signer, FACE_SIGNER_REF, CV_ISSUER_REF, cvca));
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    await saveKey(join(tmp, 'terminal.key.pem'), privateKey);
  });
  const f = (name: string): string => join(dir, name);
  const terminal = await loadKey(f('terminal.key.pem'));
  return {
    authCa: { certificate: new Uint8Array(await readFile(f('auth-ca.crt.der'))), key: await loadKey(f('auth-ca.key.pem')) },
    signCa: { certificate: new Uint8Array(await readFile(f('sign-ca.crt.der'))), key: await loadKey(f('sign-ca.key.pem')) },
    cvIssuer: { reference: CV_ISSUER_REF, key: await loadKey(f('cvca.key.pem')) },
    faceSigner: { key: await loadKey(f('face-signer.key.pem')), cvCertificate: new Uint8Array(await readFile(f('face-signer.cvc'))) },
    terminal: { privateKey: terminal, publicKey: createPublicKey(terminal) },
  };
}

/** What a reader configured for this test PKI trusts. */
export function trustFor(pki: TestPki): MyNumberCardTrust {
  return { jpkiCaCertificates: [pki.authCa.certificate], cardFaceIssuers: [{ reference: pki.cvIssuer.reference, publicKey: spkiOf(pki.cvIssuer.key) }] };
}
