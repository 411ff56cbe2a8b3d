/**
 * The facility's check of a proof: the card's signature over a challenge this facility issued.
 * Order: the challenge (issued here, to this reader, for this visit and card, fresh, unused),
 * then the certificate (parses, names the claimed serial), the signature (RSASSA-PKCS1-v1_5,
 * SHA-256, over the challenge bytes), the chain to a configured JPKI user-auth CA, validity at
 * the visit time (when the challenge was issued: the facility's clock, not the reader's) and
 * revocation. Any failure is a ProofRefusedError with its code; a missing CRL is
 * RevocationUnknownError (not a verdict).
 *
 * Freshness: the facility must have seen a signature over the challenge before it expired:
 * either a `prove` request in time (it recorded `redeemedAt`), or the result itself in time.
 */
import { verify } from 'node:crypto';
import { ProofRefusedError } from './errors.ts';
import type { Revocation } from './revocation.ts';
import { normaliseSerial, type CardCertificate, type TrustAnchors } from './trust-anchors.ts';

/** The visit a challenge was issued for, which the reader's claim names again. */
export interface ChallengeSubject {
  readonly readerId: string;
  readonly visitId: string;
  readonly certificateSerial: string;
  /** Hex, as issued. */
  readonly challenge: string;
}

export interface ChallengeRecord extends ChallengeSubject {
  readonly facilityId: string;
  readonly issuedAt: number;
  readonly expiresAt: number;
  /** When a `prove` request showed a valid signature over it. */
  readonly redeemedAt?: number | undefined;
  /** The result that used it, if any. */
  readonly usedBy?: string | undefined;
}

export interface ProofClaim extends ChallengeSubject {
  /** Base64 DER. */
  readonly certificate: string;
  /** Base64 PKCS#1 v1.5 signature. */
  readonly signature: string;
}

export type ProofUse = { readonly kind: 'prove' } | { readonly kind: 'result'; readonly resultId: string };

export class ProofVerifier {
  constructor(
    readonly facilityId: string,
    readonly anchors: TrustAnchors,
    readonly revocation: Revocation,
  ) {}

  /** A card certificate on its own at `at` (qualify): parse, serial, chain, validity, revocation. */
  certificate(base64: string, claimedSerial: string, at: number): CardCertificate {
    const cert = this.anchors.certificate(base64);
    if (cert.serial !== normaliseSerial(claimedSerial))
      throw new ProofRefusedError('CERTIFICATE_INVALID', `the certificate's serial is ${cert.serial}, the message says ${claimedSerial}`);
    this.revocation.check(this.anchors.check(cert, at), cert.serial);
    return cert;
  }

  /** The whole proof; `record` is what the store holds for the claimed challenge (undefined: never issued here). */
  verify(claim: ProofClaim, record: ChallengeRecord | undefined, use: ProofUse, now: number): CardCertificate {
    checkChallenge(this.facilityId, claim, record, use, now);
    const cert = this.anchors.certificate(claim.certificate);
    if (cert.serial !== normaliseSerial(claim.certificateSerial))
      throw new ProofRefusedError(
        'CERTIFICATE_INVALID',
        `the certificate's serial is ${cert.serial}, the result says ${claim.certificateSerial}`,
      );
    const signature = Buffer.from(claim.signature, 'base64');
    if (signature.length === 0 || !verify('sha256', Buffer.from(claim.challenge, 'hex'), cert.publicKey, signature))
      throw new ProofRefusedError('SIGNATURE_INVALID', 'the signature does not verify over the challenge with the certificate');
    this.revocation.check(this.anchors.check(cert, record.issuedAt), cert.serial);
    return cert;
  }
}

function checkChallenge(
  facilityId: string,
  claim: ProofClaim,
  record: ChallengeRecord | undefined,
  use: ProofUse,
  now: number,
): asserts record is ChallengeRecord {
  if (!record) throw new ProofRefusedError('CHALLENGE_UNKNOWN', 'this facility never issued the challenge');
  if (record.facilityId !== facilityId)
    throw new ProofRefusedError('CHALLENGE_OTHER_FACILITY', `the challenge was issued by facility ${record.facilityId}`);
  if (record.readerId !== claim.readerId)
    throw new ProofRefusedError('CHALLENGE_OTHER_READER', 'the challenge was issued to another reader');
  if (record.visitId !== claim.visitId || record.certificateSerial !== normaliseSerial(claim.certificateSerial))
    throw new ProofRefusedError('CHALLENGE_OTHER_VISIT', 'the challenge was issued for another visit or card');
  if (record.usedBy !== undefined && (use.kind === 'prove' || record.usedBy !== use.resultId))
    throw new ProofRefusedError('CHALLENGE_REPLAYED', 'the challenge was used by another result');
  const seenInTime = (record.redeemedAt !== undefined && record.redeemedAt <= record.expiresAt) || now <= record.expiresAt;
  if (!seenInTime)
    throw new ProofRefusedError(
      'CHALLENGE_EXPIRED',
      `the challenge expired at ${new Date(record.expiresAt).toISOString()} before a signature over it reached the facility`,
    );
}
