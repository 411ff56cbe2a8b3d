/**
 * The JPKI user-auth certificate (EF 000A): read exactly (DER length from the header; the EF is
 * padded with 00), its outer DER shape checked (certificate-shape.ts), then parsed and checked
 * with @peculiar/x509: validity at `now`, issuer chain to one of the configured JPKI CA
 * certificates (signature verified), RSA key.
 */
import { KaoreaderError } from '../../core/errors.ts';
import { MalformedResponseError } from '../errors.ts';
import type { CardFiles } from './files.ts';
import { LIMITS } from './constants.ts';
import { derTotalLength } from './der.ts';
import { checkCertificateShape } from './certificate-shape.ts';
import { CertificateExpiredError, CertificateUntrustedError } from './errors.ts';
import { x509 } from '../../core/x509.ts';

/** Reads the DER certificate at the start of the selected EF, exactly. */
export async function readDerFile(files: CardFiles, what: string): Promise<Uint8Array> {
  const first = new Uint8Array(LIMITS.shortChunk);
  // One read that surely covers the header: certificates are far longer than 256 bytes.
  await files.read(0, first.length, first);
  const total = derTotalLength(first, what, LIMITS.maxCertificateBytes);
  if (total <= first.length) return first.slice(0, total);
  const out = new Uint8Array(total);
  out.set(first, 0);
  await files.read(first.length, total - first.length, out, first.length);
  return out;
}

export interface CheckedCertificate {
  readonly der: Uint8Array;
  /** Hex, lower case: what online qualification keys on. */
  readonly serialNumber: string;
  readonly subject: string;
  readonly issuer: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** SPKI DER of the user-auth public key. */
  readonly publicKey: Uint8Array;
}

export function parseCertificate(der: Uint8Array, what: string): x509.X509Certificate {
  try {
    return new x509.X509Certificate(der);
  } catch (err) {
    throw new MalformedResponseError(what, `not an X.509 certificate (${(err as Error).message})`);
  }
}

/**
 * Validity at `now` and a verified issuer signature from one of `anchors` (DER). The X.509
 * library parses fields lazily, so any of its own errors becomes a MalformedResponseError here.
 */
export async function checkCertificate(der: Uint8Array, anchors: readonly Uint8Array[], now: Date): Promise<CheckedCertificate> {
  try {
    return await check(der, anchors, now);
  } catch (err) {
    if (err instanceof KaoreaderError) throw err;
    throw new MalformedResponseError('user-auth certificate', `undecodable (${err instanceof Error ? err.message : String(err)})`);
  }
}

async function check(der: Uint8Array, anchors: readonly Uint8Array[], now: Date): Promise<CheckedCertificate> {
  checkCertificateShape(der);
  const cert = parseCertificate(der, 'user-auth certificate');
  if (now < cert.notBefore || now > cert.notAfter) throw new CertificateExpiredError(cert.notBefore, cert.notAfter, now);
  if (cert.publicKey.algorithm.name !== 'RSASSA-PKCS1-v1_5')
    throw new CertificateUntrustedError(`unexpected key algorithm ${cert.publicKey.algorithm.name}`);
  let trusted = false;
  let failure: unknown;
  for (const a of anchors) {
    const ca = parseCertificate(a, 'JPKI CA certificate');
    if (ca.subject !== cert.issuer) continue;
    if (now < ca.notBefore || now > ca.notAfter) continue;
    try {
      trusted = await cert.verify({ publicKey: ca.publicKey, date: now, signatureOnly: true });
    } catch (err) {
      failure = err; // an unusable signature is an untrusted certificate (kept as the cause)
    }
    if (trusted) break;
  }
  if (!trusted)
    throw new CertificateUntrustedError(`issuer "${cert.issuer}" is not a configured JPKI CA, or its signature does not verify`, {
      cause: failure,
    });
  return {
    der,
    serialNumber: cert.serialNumber.toLowerCase(),
    subject: cert.subject,
    issuer: cert.issuer,
    notBefore: cert.notBefore,
    notAfter: cert.notAfter,
    publicKey: new Uint8Array(cert.publicKey.rawData),
  };
}
