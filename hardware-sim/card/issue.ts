/**
 * Issues a virtual My Number Card for a patient: per-card RSA-2048 keys (user-auth, signature,
 * chip) and certificates under the test PKI, cached under var/ by card id; the card-face AP's
 * files built from the profile (spec card-apdu.md layout, signed by the simulator's card-face
 * key); retry counters in the given Store. `issueCardContents` gives the files themselves, so a
 * test can alter one byte before putting them in a card.
 */
import { randomInt } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Store } from '../../firmware/ports/store.ts';
import { tokenInfo, type CardContents } from './applets.ts';
import {
  buildAgeRecord,
  buildApBasicData,
  buildCardFace,
  buildMyNumberImage,
  type BuiltCardFace,
  type CardFaceFields,
} from './card-face-builder.ts';
import { placeholderPng } from './face-photo.ts';
import { ensureGenerated } from './generated-dir.ts';
import { loadKey, makeCertificate, newRsaKey, saveKey } from './keys.ts';
import { cardDate, DEFAULT_LIMITS, numberBOf, type CardProfile, type RetryLimits } from './patient.ts';
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

export interface IssuedContents {
  readonly contents: CardContents;
  /** EF 0002 with where each field sits, and its fields. */
  readonly cardFace: BuiltCardFace & { readonly fields: CardFaceFields };
}

function expiryDate(yyyymmdd: string): Date {
  return new Date(`${yyyymmdd.slice(0, 4)}-${yyyymmdd.slice(4, 6)}-${yyyymmdd.slice(6, 8)}T23:59:59+09:00`);
}

/** The card's sex code (DF23, JIS X 0303: 1 male, 2 female). */
const SEX_CODE = { 男: '1', 女: '2' } as const;

export async function issueCardContents(profile: CardProfile, options: Omit<IssueOptions, 'counters'>): Promise<IssuedContents> {
  const birthDate = cardDate(profile.birthDate);
  const expiry = cardDate(profile.cardExpiry);
  if (!/^[a-z0-9][a-z0-9-]{0,40}$/i.test(profile.id)) throw new RangeError(`card id "${profile.id}": letters, digits and - only`);
  const dir = join(options.cardsDir ?? 'var/sim-card/cards', profile.id);
  const { pki } = options;
  await ensureGenerated(dir, async (tmp) => {
    const serial = Buffer.from(Array.from({ length: 8 }, () => randomInt(256)))
      .toString('hex')
      .replace(/^./, '1');
    const validity = { notBefore: new Date(Date.now() - 86_400_000), notAfter: expiryDate(expiry) };
    for (const [file, ca, caName] of [
      ['auth', pki.authCa, CA_NAME],
      ['sign', pki.signCa, SIGN_CA_NAME],
    ] as const) {
      const key = await newRsaKey();
      await saveKey(join(tmp, `${file}.key.pem`), key);
      const subject = file === 'auth' ? `C=JP, CN=${serial}` : `C=JP, CN=Test Signer ${profile.id}`;
      await writeFile(
        join(tmp, `${file}.crt.der`),
        await makeCertificate({ subject, serial, ca: false, ...validity }, key, { name: caName, key: ca.key }),
      );
    }
    await saveKey(join(tmp, 'chip.key.pem'), await newRsaKey());
    await writeFile(join(tmp, 'number-a'), String(randomInt(100_000_000_000, 999_999_999_999)));
  });
  const chipKey = await loadKey(join(dir, 'chip.key.pem'));
  const signer = pki.faceSigner.key;
  const numberB = Buffer.from(numberBOf(profile)).toString('latin1');
  const cardFace = buildCardFace(
    {
      birthDate,
      sex: SEX_CODE[profile.sex],
      expiry,
      photoJp2: profile.photoJp2,
      nameImage: await placeholderPng(96, 24, 200),
      addressImage: await placeholderPng(160, 24, 210),
      securityCodeImage: await placeholderPng(24, 12, 220),
    },
    chipKey,
    signer,
  );
  const contents: CardContents = {
    tokenInfo: tokenInfo(options.tokenLabel ?? 'JPKIAPICCTOKEN2'),
    authCertificate: new Uint8Array(await readFile(join(dir, 'auth.crt.der'))),
    authCa: pki.authCa.certificate,
    authKey: await loadKey(join(dir, 'auth.key.pem')),
    signCertificate: new Uint8Array(await readFile(join(dir, 'sign.crt.der'))),
    signCa: pki.signCa.certificate,
    signKey: await loadKey(join(dir, 'sign.key.pem')),
    terminalPublicKey: pki.terminal.publicKey,
    face: {
      cardFace: cardFace.ef,
      cvCertificate: pki.faceSigner.cvCertificate,
      ageRecord: buildAgeRecord(birthDate, chipKey, signer),
      apBasicData: buildApBasicData('13221', new Uint8Array(256).fill(0x5a)),
      myNumberImage: buildMyNumberImage(await placeholderPng(72, 12, 230), chipKey, signer),
    },
    chipKey,
    secrets: {
      pin: profile.pin,
      signPassword: profile.signPassword ?? `SIGN${profile.pin}AB`,
      numberA: (await readFile(join(dir, 'number-a'), 'latin1')).trim(),
      numberB,
      birthKey: numberB.slice(0, 6),
    },
    limits: { ...DEFAULT_LIMITS, ...options.limits },
  };
  return { contents, cardFace };
}

export async function issueVirtualCard(profile: CardProfile, options: IssueOptions): Promise<VirtualMyNumberCard> {
  const { contents } = await issueCardContents(profile, options);
  return new VirtualMyNumberCard({ id: profile.id, counters: options.counters, contents });
}
