/**
 * The proof that binds an accepted visit to the card in the slot, the same in every mode: the
 * card's user-auth key signs the facility's fresh challenge (PKCS#1 v1.5 over SHA-256), unlocked
 * by the PIN or by 特定機関認証, and the signature must verify with the user-auth certificate read
 * from the card. The facility checks it again on its side.
 */
import { X509Certificate, verify } from 'node:crypto';
import type { IdentityMethod } from '../ports/facility-link.ts';
import type { SignatureUnlock, VisitContext } from './context.ts';
import { VisitError, errorCodeOrInternal } from './errors.ts';
import { stepState } from './step-state.ts';
import { certificateOf } from './steps/card.ts';
import { qualificationOf } from './steps/qualify.ts';

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

/** The card's signature over the facility's challenge (hex, as the facility sent it), and what unlocked the key. */
export interface CardProof {
  readonly signature: Uint8Array;
  readonly challenge: string;
  readonly unlock: SignatureUnlock;
}

const PROOF = stepState('proof', (): { proof?: CardProof } => ({}));

/** The card's proof, once it signed and the signature verified. */
export function cardProofOf(v: VisitContext): CardProof | undefined {
  return v.own(PROOF).proof;
}

/**
 * Has the card sign the facility's challenge (after a verified PIN, or through 特定機関認証),
 * checks it against the certificate and keeps it for the result. A signature that does not verify
 * is SIGNATURE_INVALID (the card is not the one whose certificate was read).
 */
export async function proveWithCard(v: VisitContext, unlock: SignatureUnlock): Promise<void> {
  const answer = qualificationOf(v);
  const certificate = certificateOf(v);
  if (!answer || !certificate) throw new VisitError('INTERNAL', 'card proof without qualification');
  const challenge = challengeBytes(answer.challenge);
  const signature = await v.step('signing the challenge', v.t.cardMs, (signal) =>
    unlock === 'pin' ? v.card.signChallenge(challenge, signal) : v.card.signChallengeWithTerminalAuth(challenge, signal),
  );
  if (!verifyChallengeSignature(certificate.der, challenge, signature)) {
    v.deps.audit.record('card-signature-invalid', { visitId: v.visitId, unlock, certificateSerial: certificate.serial });
    throw new VisitError('SIGNATURE_INVALID', 'the card signature does not verify with its certificate');
  }
  v.own(PROOF).proof = { signature, challenge: answer.challenge, unlock };
}

/** Records the visit's identity decision, naming the card by its certificate's serial. */
export function decideOnCard(v: VisitContext, method: IdentityMethod, accepted: boolean, reason: string): void {
  v.decide(method, accepted, reason, certificateOf(v)?.serial);
}

/**
 * The card proof that ends an identity `method` (proveWithCard), and its decision: accepted with
 * `reason` once the signature verifies, refused as 'signature-invalid' when it does not (the
 * error is rethrown); other failures decide nothing.
 */
export async function proveAndDecide(v: VisitContext, unlock: SignatureUnlock, method: IdentityMethod, reason: string): Promise<void> {
  try {
    await proveWithCard(v, unlock);
  } catch (err) {
    if (errorCodeOrInternal(err) === 'SIGNATURE_INVALID') decideOnCard(v, method, false, 'signature-invalid');
    throw err;
  }
  decideOnCard(v, method, true, reason);
}
