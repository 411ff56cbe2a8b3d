/**
 * Loads the reader's trust anchors for My Number Cards: JPKI CA certificates (DER files named in
 * the `card` config section) and the card-face CA keys, i.e. the production J-LIS key every reader
 * ships (card-face-issuers.ts), the JPKI test hierarchy's only with `card.trustJpkiTestCards`
 * (QA rigs with J-LIS test cards), plus the configured ones (16-byte key id + SPKI DER of an
 * RSA-2048 key). Every unreadable or unusable file is reported at once.
 */
import { readFile } from 'node:fs/promises';
import { ConfigError } from '../../core/errors.ts';
import type { CardConfig } from '../../config/sections/card.ts';
import {
  BUILT_IN_CARD_FACE_ISSUERS,
  JPKI_TEST_CARD_FACE_ISSUERS,
  PRODUCTION_CARD_FACE_ISSUERS,
  type CardFaceIssuerKey,
} from './card-face-issuers.ts';
import { parseCertificate } from './certificate.ts';
import type { MyNumberCardTrust } from './client.ts';
import { formatKeyId, keyIdFromText, sameKeyId } from './key-id.ts';
import { spkiPublicKey } from './rsa.ts';

export async function loadCardTrust(
  card: Pick<CardConfig, 'jpkiCaFiles' | 'cardFaceIssuers' | 'trustJpkiTestCards'>,
  source = 'card configuration',
): Promise<MyNumberCardTrust> {
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
  const cardFaceIssuers: CardFaceIssuerKey[] = [
    ...PRODUCTION_CARD_FACE_ISSUERS,
    ...(card.trustJpkiTestCards ? JPKI_TEST_CARD_FACE_ISSUERS : []),
  ];
  for (const issuer of card.cardFaceIssuers) {
    const keyId = keyIdFromText(issuer.keyId);
    if (!keyId) {
      problems.push(`card.cardFaceIssuers: key id "${issuer.keyId}" is not NNNNNNN/NNN or 32 hex digits of that shape`);
      continue;
    }
    if (BUILT_IN_CARD_FACE_ISSUERS.some((k) => sameKeyId(k.keyId, keyId))) {
      problems.push(`card.cardFaceIssuers: key id ${formatKeyId(keyId)} is built in (the test hierarchy's: card.trustJpkiTestCards)`);
      continue;
    }
    if (cardFaceIssuers.some((k) => sameKeyId(k.keyId, keyId))) {
      problems.push(`card.cardFaceIssuers: key id ${formatKeyId(keyId)} is configured twice`);
      continue;
    }
    try {
      const publicKey = spkiPublicKey(new Uint8Array(await readFile(issuer.publicKeyFile)), issuer.publicKeyFile);
      if (publicKey.asymmetricKeyType !== 'rsa' || publicKey.asymmetricKeyDetails?.modulusLength !== 2048)
        throw new Error('not an RSA-2048 public key');
      cardFaceIssuers.push({ keyId, publicKey, source: issuer.publicKeyFile });
    } catch (err) {
      problems.push(`card.cardFaceIssuers: ${issuer.publicKeyFile}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  if (problems.length > 0) throw new ConfigError(source, problems);
  return { jpkiCaCertificates, cardFaceIssuers };
}
