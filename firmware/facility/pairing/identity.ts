/**
 * The reader's own identity: on first boot it makes a P-256 key that never leaves it
 * (`reader-key.pem`, mode 0600, in the state directory), its id derived from the key
 * (`kr-` + 12 hex of the key fingerprint), and a random 10-character pairing code (50 bits,
 * Crockford base32) that is shown on screen only. The CSR names the reader id as CN and
 * carries the code as its challengePassword, so facility IT can check that the CSR they sign
 * comes from the reader whose screen they read. The QR payload carries id + fingerprint + code.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../../core/fs.ts';
import { generateP256, importP256, privateKeyPem, SIGN, spkiFingerprint } from './p256.ts';
import { x509 } from '../../core/x509.ts';

export interface ReaderIdentity {
  readonly readerId: string;
  /** SHA-256 of the public key (hex). */
  readonly fingerprint: string;
  /** `XXXXX-XXXXX`, to show on screen. */
  readonly pairingCode: string;
  /** What the reader shows as a QR code. */
  readonly qrPayload: string;
  readonly csrPem: string;
  /** PEM of the private key, for the TLS client only (never sent, never logged). */
  readonly privateKeyPem: string;
  readonly keyPath: string;
}

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export function newPairingCode(): string {
  const bytes = randomBytes(10);
  let s = '';
  for (const b of bytes) s += ALPHABET[b & 31];
  return `${s.slice(0, 5)}-${s.slice(5)}`;
}

/** Normalises what a person typed (lowercase, O→0, I/L→1, no dashes/spaces). */
export function normaliseCode(code: string): string {
  const c = code.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  return c.length === 10 ? `${c.slice(0, 5)}-${c.slice(5)}` : c;
}

export function codesEqual(a: string, b: string): boolean {
  const x = Buffer.from(normaliseCode(a));
  const y = Buffer.from(normaliseCode(b));
  return x.length === y.length && timingSafeEqual(x, y);
}

export const readerIdFor = (fingerprint: string): string => `kr-${fingerprint.slice(0, 12)}`;

export function qrPayload(readerId: string, fingerprint: string, code: string): string {
  return `kaoreader-pair:1:${readerId}:${fingerprint}:${code}`;
}

export function parseQrPayload(s: string): { readerId: string; fingerprint: string; code: string } | undefined {
  const m = /^kaoreader-pair:1:(kr-[0-9a-f]{12}):([0-9a-f]{64}):([0-9A-Z]{5}-[0-9A-Z]{5})$/.exec(s.trim());
  return m?.[1] && m[2] && m[3] ? { readerId: m[1], fingerprint: m[2], code: m[3] } : undefined;
}

/** Loads the reader identity from `stateDir`, creating key and code on first boot. */
export async function ensureReaderIdentity(stateDir: string): Promise<ReaderIdentity> {
  await mkdir(stateDir, { recursive: true, mode: 0o700 });
  const keyPath = join(stateDir, 'reader-key.pem');
  const codePath = join(stateDir, 'pairing-code');
  let pem: string;
  try {
    pem = await readFile(keyPath, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    const keys = await generateP256();
    pem = await privateKeyPem(keys.privateKey);
    await writeFileAtomic(join(stateDir, 'pairing-code'), newPairingCode());
    await writeFileAtomic(join(stateDir, 'reader-key.pem'), pem);
  }
  const keys = await importP256(pem);
  let code: string;
  try {
    code = (await readFile(codePath, 'utf8')).trim();
  } catch {
    code = newPairingCode();
    await writeFileAtomic(join(stateDir, 'pairing-code'), code);
  }
  const fingerprint = await spkiFingerprint(keys.publicKey);
  const readerId = readerIdFor(fingerprint);
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: `CN=${readerId}`,
    keys,
    signingAlgorithm: SIGN,
    attributes: [new x509.ChallengePasswordAttribute(code)],
  });
  return {
    readerId,
    fingerprint,
    pairingCode: code,
    qrPayload: qrPayload(readerId, fingerprint, code),
    csrPem: csr.toString('pem'),
    privateKeyPem: pem,
    keyPath,
  };
}
