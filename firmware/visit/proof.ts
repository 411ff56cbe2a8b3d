/**
 * PIN-mode proof check: the card's signature (PKCS#1 v1.5, SHA-256) over the facility's fresh
 * challenge must verify with the public key of the user-auth certificate read from the card.
 */
import { X509Certificate, verify } from 'node:crypto';
import { VisitError } from './errors.ts';

/** The challenge bytes the card signs: the facility sends them hex-encoded. */
export function challengeBytes(hex: string): Uint8Array {
  if (!/^(?:[0-9a-f]{2}){16,64}$/i.test(hex)) throw new VisitError('INTERNAL', 'facility challenge is not 16–64 hex bytes');
  return Uint8Array.from(Buffer.from(hex, 'hex'));
}

export function verifyChallengeSignature(certificateDer: Uint8Array, challenge: Uint8Array, signature: Uint8Array): boolean {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(certificateDer);
  } catch (err) {
    throw new VisitError('CERT_INVALID', 'the user-auth certificate does not parse', { cause: err });
  }
  return verify('sha256', challenge, cert.publicKey, signature);
}
