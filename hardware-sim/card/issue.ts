/**
 * Issues a virtual My Number Card for a patient: per-card RSA-2048 keys (user-auth, signature,
 * chip) and certificates under the test PKI, cached under var/ by card id; the card-face EF
 * built from the profile; counters in the given Store.
 */
import { randomInt } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Store } from '../../firmware/ports/store.ts';
import { verificationNumberB } from '../../firmware/apdu/myna/verification-number-b.ts';
import { buildCardFace } from './card-face-builder.ts';
import { placeholderPng } from './face-photo.ts';
import { ensureGenerated } from './generated-dir.ts';
import { loadKey, makeCertificate, newRsaKey, saveKey } from './keys.ts';
import { DEFAULT_LIMITS, type PatientProfile, type RetryLimits } from './patient.ts';
import { CA_NAME, SIGN_CA_NAME, type TestPki } from './test-pki.ts';
import { VirtualMyNumberCard } from './virtual-card.ts';

export interface IssueOptions {
  readonly pki: TestPki;
  /** Cache of per-card keys; default var/sim-card/cards. */
  readonly cardsDir?: string;
  readonly counters: Store;
  readonly limits?: Partial<RetryLimits>;
  readonly tokenLabel?: string;
}

function expiryDate(yyyymmdd: string): Date {
  return new Date(`${yyyymmdd.slice(0, 4)}-${yyyymmdd.slice(4, 6)}-${yyyymmdd.slice(6, 8)}T23:59:59+09:00`);
}

export async function issueVirtualCard(profile: PatientProfile, options: IssueOptions): Promise<VirtualMyNumberCard> {
  if (!/^[a-z0-9][a-z0-9-]{0,40}$/i.test(profile.id)) throw new RangeError(`card id "${profile.id}": letters, digits and - only`);
  const dir = join(options.cardsDir ?? 'var/sim-card/cards', profile.id);
  const { pki } = options;
  await ensureGenerated(dir, async (tmp) => {
    const serial = Buffer.from(Array.from({ length: 8 }, () => randomInt(256))).toString('hex').replace(/^./, '1');
    const validity = { notBefore: new Date(Date.now() - 86_400_000), notAfter: expiryDate(profile.expiry) };
    for (const [file, ca, caName] of [['auth', pki.authCa, CA_NAME], ['sign', pki.signCa, SIGN_CA_NAME]] as const) {
      const key = await newRsaKey();
      await saveKey(join(tmp, `${file}.key.pem`), key);
      const subject = file === 'auth' ? `C=JP, CN=${serial}` : `C=JP, CN=Test Signer ${profile.id}`;
      await writeFile(join(tmp, `${file}.crt.der`), await makeCertificate({ subject, serial, ca: false, ...validity }, key, { name: caName, key: ca.key }));
    }
    await saveKey(join(tmp, 'chip.key.pem'), await newRsaKey());
    await writeFile(join(tmp, 'number-a'), String(randomInt(100_000_000_000, 999_999_999_999)));
  });
  const chipKey = await loadKey(join(dir, 'chip.key.pem'));
  const numberB = Buffer.from(verificationNumberB({ birthDate: profile.birthDate, expiryYear: profile.expiry.slice(0, 4), securityCode: profile.securityCode })).toString('latin1');
  const cardFace = buildCardFace({
    birthDate: profile.birthDate,
    sex: profile.sex,
    expiry: profile.expiry,
    photoJp2: profile.photoJp2,
    nameImage: await placeholderPng(96, 24, 200),
    addressImage: await placeholderPng(160, 24, 210),
    securityCodeImage: await placeholderPng(40, 16, 220),
  }, chipKey, pki.faceSigner.key);
  return new VirtualMyNumberCard({
    id: profile.id,
    counters: options.counters,
    contents: {
      tokenLabel: options.tokenLabel ?? 'JPKIAPICCTOKEN2',
      authCertificate: new Uint8Array(await readFile(join(dir, 'auth.crt.der'))),
      authCa: pki.authCa.certificate,
      authKey: await loadKey(join(dir, 'auth.key.pem')),
      signCertificate: new Uint8Array(await readFile(join(dir, 'sign.crt.der'))),
      signCa: pki.signCa.certificate,
      signKey: await loadKey(join(dir, 'sign.key.pem')),
      terminalPublicKey: pki.terminal.publicKey,
      cardFace,
      cvCertificate: pki.faceSigner.cvCertificate,
      chipKey,
      secrets: { pin: profile.pin, signPassword: profile.signPassword ?? `SIGN${profile.pin}AB`, numberA: (await readFile(join(dir, 'number-a'), 'latin1')).trim(), numberB },
      limits: { ...DEFAULT_LIMITS, ...options.limits },
    },
  });
}
