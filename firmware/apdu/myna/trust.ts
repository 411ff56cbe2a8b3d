/**
 * Loads the reader's trust anchors for My Number Cards from files named in the `card` config
 * section: JPKI CA certificates (DER) and card-face CV issuer keys (SPKI DER). Every unreadable
 * or unusable file is reported at once.
 */
import { readFile } from 'node:fs/promises';
import { ConfigError } from '../../core/errors.ts';
import type { CardConfig } from '../../config/sections/card.ts';
import type { MyNumberCardTrust } from './client.ts';
import { spkiPublicKey } from './rsa.ts';
import { parseCertificate } from './certificate.ts';

export async function loadCardTrust(card: Pick<CardConfig, 'jpkiCaFiles' | 'cardFaceIssuers'>, source = 'card configuration'): Promise<MyNumberCardTrust> {
  const problems: string[] = [];
  const jpkiCaCertificates: Uint8Array[] = [];
  for (const file of card.jpkiCaFiles) {
    try {
      const der = new Uint8Array(await readFile(file));
      void parseCertificate(der, file).subject;
      jpkiCaCertificates.push(der);
    } catch (err) {
      problems.push(`card.jpkiCaFiles: ${file}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  const cardFaceIssuers: { reference: string; publicKey: Uint8Array }[] = [];
  for (const issuer of card.cardFaceIssuers) {
    try {
      const spki = new Uint8Array(await readFile(issuer.publicKeyFile));
      spkiPublicKey(spki, issuer.publicKeyFile);
      cardFaceIssuers.push({ reference: issuer.reference, publicKey: spki });
    } catch (err) {
      problems.push(`card.cardFaceIssuers: ${issuer.publicKeyFile}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  if (problems.length > 0) throw new ConfigError(source, problems);
  return { jpkiCaCertificates, cardFaceIssuers };
}
