/**
 * Why the facility refuses a proof (a qualify, prove or result message): the one vocabulary both
 * sides use. The facility answers with one of these codes (`kaoreader.response/1` or
 * `kaoreader.ack/1` error code), counts it per reason and writes an audit record; the reader's
 * visit ends on the screen its endings table gives the code.
 *
 * A permanent refusal means the facility has recorded the result as refused and will never
 * store it as accepted: the reader may drop it from its outbox. Anything else (e.g. the
 * revocation list is not available) is worth a resend.
 */
export const PROOF_REFUSALS = {
  /** An accepted result without certificate, challenge and signature. */
  PROOF_MISSING: 'proof-missing',
  /** The signature does not verify over the challenge with the result's certificate. */
  SIGNATURE_INVALID: 'signature-invalid',
  /** This facility never issued the challenge (forged, or another facility's). */
  CHALLENGE_UNKNOWN: 'challenge-unknown',
  /** The challenge was issued by another facility sharing this database. */
  CHALLENGE_OTHER_FACILITY: 'challenge-other-facility',
  /** The challenge was issued to another reader. */
  CHALLENGE_OTHER_READER: 'challenge-other-reader',
  /** The challenge was issued for another visit or another card. */
  CHALLENGE_OTHER_VISIT: 'challenge-other-visit',
  /** The facility saw no signature over the challenge before it expired. */
  CHALLENGE_EXPIRED: 'challenge-expired',
  /** The challenge was already used by another result. */
  CHALLENGE_REPLAYED: 'challenge-replayed',
  /** The certificate does not parse, or its serial is not the one the result names. */
  CERTIFICATE_INVALID: 'certificate-invalid',
  /** The certificate does not chain to a configured JPKI user-auth CA. */
  CERTIFICATE_UNTRUSTED: 'certificate-untrusted',
  /** The certificate was not valid at the visit time (when the challenge was issued). */
  CERTIFICATE_EXPIRED: 'certificate-expired',
  /** The certificate is on its CA's revocation list. */
  CERTIFICATE_REVOKED: 'certificate-revoked',
} as const;

export type ProofRefusalCode = keyof typeof PROOF_REFUSALS;
export type ProofRefusalReason = (typeof PROOF_REFUSALS)[ProofRefusalCode];

/** Not a verdict on the proof: the facility cannot check revocation now (no current CRL). */
export const REVOCATION_UNKNOWN = 'REVOCATION_UNKNOWN';

export function isProofRefusal(code: string | undefined): code is ProofRefusalCode {
  return code !== undefined && Object.hasOwn(PROOF_REFUSALS, code);
}

/**
 * Refusals of the message itself that a resend cannot change (the same bytes fail the same
 * schema, name the same reader, speak the same version): the reader keeps such a result as a
 * dead letter (outbox.ts) and stops sending it. Not a verdict on the visit: nothing is dropped.
 */
export const FINAL_MESSAGE_REFUSALS = ['MESSAGE_INVALID', 'READER_MISMATCH', 'UNSUPPORTED_SCHEMA_VERSION'] as const;
export type FinalMessageRefusal = (typeof FINAL_MESSAGE_REFUSALS)[number];

export function isFinalMessageRefusal(code: string | undefined): code is FinalMessageRefusal {
  return (FINAL_MESSAGE_REFUSALS as readonly (string | undefined)[]).includes(code);
}
