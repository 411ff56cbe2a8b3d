/**
 * The simulator's test PKI, generated on first use under var/ (never committed): a JPKI
 * user-auth CA, a JPKI signature CA, a card-face CA of our own (key id `9000023/001`: never a
 * J-LIS id, which begin 5 or 6) with the card-face signing key it certifies in EF 0004, and a
 * terminal key for simulated 特定機関認証.
 */
import { createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PRODUCTION_CARD_FACE_ISSUERS, type CardFaceIssuerKey } from '../../firmware/apdu/myna/card-face-issuers.ts';
import type { MyNumberCardTrust } from '../../firmware/apdu/myna/client.ts';
import { keyId } from './card-keys.ts';
import { buildCvCertificate } from './cv-certificate-builder.ts';
import { ensureGenerated } from './generated-dir.ts';
import { loadKey, makeCertificate, newRsaKey, saveKey, spkiOf } from './keys.ts';

export const CA_NAME = 'C=JP, O=kaoreader test, OU=JPKI test, CN=Test JPKI User Authentication CA';
export const SIGN_CA_NAME = 'C=JP, O=kaoreader test, OU=JPKI test, CN=Test JPKI Signature CA';
/** 証明者鍵ID of the simulator's card-face CA, and 被証明者鍵ID of the key it certifies. */
export const SIM_CARD_FACE_CA_ID = keyId('9000023', '001');
export const SIM_FACE_SIGNER_ID = keyId('9132210', '001');

export interface TestPki {
  readonly authCa: { readonly certificate: Uint8Array; readonly key: KeyObject };
  readonly signCa: { readonly certificate: Uint8Array; readonly key: KeyObject };
  /** The card-face CA: its key signs EF 0004. */
  readonly cardFaceCa: { readonly keyId: Uint8Array; readonly key: KeyObject };
  /** The key EF 0004 certifies: it signs DF28 (and EF 0001/0005). */
  readonly faceSigner: { readonly keyId: Uint8Array; readonly key: KeyObject; readonly cvCertificate: Uint8Array };
  readonly terminal: { readonly privateKey: KeyObject; readonly publicKey: KeyObject };
}

async function generateJpki(tmp: string): Promise<void> {
  const now = Date.now();
  const validity = { notBefore: new Date(now - 86_400_000), notAfter: new Date(now + 20 * 365 * 86_400_000) };
  for (const [file, name] of [
    ['auth-ca', CA_NAME],
    ['sign-ca', SIGN_CA_NAME],
  ] as const) {
    const key = await newRsaKey();
    await saveKey(join(tmp, `${file}.key.pem`), key);
    await writeFile(
      join(tmp, `${file}.crt.der`),
      await makeCertificate({ subject: name, serial: '01', ca: true, ...validity }, key, { name, key }),
    );
  }
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  await saveKey(join(tmp, 'terminal.key.pem'), privateKey);
}

async function generateCardFace(tmp: string): Promise<void> {
  const ca = await newRsaKey();
  await saveKey(join(tmp, 'ca.key.pem'), ca);
  await writeFile(join(tmp, 'ca.spki.der'), spkiOf(ca));
  const signer = await newRsaKey();
  await saveKey(join(tmp, 'signer.key.pem'), signer);
  await writeFile(join(tmp, 'signer.cvc'), buildCvCertificate(signer, SIM_FACE_SIGNER_ID, SIM_CARD_FACE_CA_ID, ca));
}

/**
 * The PKI under `dir` (JPKI part) and `dir/card-face-v2` (card-face part: the EF 0004 layout of
 * spec card-apdu.md; an older cache in another folder is never read).
 */
export async function loadTestPki(dir = 'var/sim-card/pki'): Promise<TestPki> {
  await ensureGenerated(dir, generateJpki);
  const faceDir = join(dir, 'card-face-v2');
  await ensureGenerated(faceDir, generateCardFace);
  const f = (name: string): string => join(dir, name);
  const terminal = await loadKey(f('terminal.key.pem'));
  return {
    authCa: { certificate: new Uint8Array(await readFile(f('auth-ca.crt.der'))), key: await loadKey(f('auth-ca.key.pem')) },
    signCa: { certificate: new Uint8Array(await readFile(f('sign-ca.crt.der'))), key: await loadKey(f('sign-ca.key.pem')) },
    cardFaceCa: { keyId: SIM_CARD_FACE_CA_ID, key: await loadKey(join(faceDir, 'ca.key.pem')) },
    faceSigner: {
      keyId: SIM_FACE_SIGNER_ID,
      key: await loadKey(join(faceDir, 'signer.key.pem')),
      cvCertificate: new Uint8Array(await readFile(join(faceDir, 'signer.cvc'))),
    },
    terminal: { privateKey: terminal, publicKey: createPublicKey(terminal) },
  };
}

/** The simulator's card-face CA as a trust anchor (what a simulator configuration adds). */
export function simCardFaceIssuer(pki: TestPki): CardFaceIssuerKey {
  return { keyId: pki.cardFaceCa.keyId, publicKey: createPublicKey(pki.cardFaceCa.key), source: 'simulator card-face CA' };
}

/** What a reader configured for this test PKI trusts: the production J-LIS key plus the simulator's. */
export function trustFor(pki: TestPki): MyNumberCardTrust {
  return { jpkiCaCertificates: [pki.authCa.certificate], cardFaceIssuers: [...PRODUCTION_CARD_FACE_ISSUERS, simCardFaceIssuer(pki)] };
}
