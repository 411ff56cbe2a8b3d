/** Typed errors of proof verification at the facility. */
import { KaoreaderError } from '../../firmware/core/errors.ts';
import {
  PROOF_REFUSALS,
  REVOCATION_UNKNOWN,
  type ProofRefusalCode,
  type ProofRefusalReason,
} from '../../firmware/facility/messages/refusals.ts';

/** The proof is refused for good: `code` is one of PROOF_REFUSALS (what the reader gets back). */
export class ProofRefusedError extends KaoreaderError {
  constructor(
    readonly code: ProofRefusalCode,
    readonly detail: string,
  ) {
    super(`proof refused (${code}): ${detail}`);
  }

  /** The metrics/audit label, e.g. `challenge-replayed`. */
  get reason(): ProofRefusalReason {
    return PROOF_REFUSALS[this.code];
  }
}

/** No current revocation list for the certificate's CA: not a verdict, the reader resends later. */
export class RevocationUnknownError extends KaoreaderError {
  readonly code = REVOCATION_UNKNOWN;
  constructor(
    readonly issuer: string,
    why: string,
  ) {
    super(`revocation status unknown for a certificate of "${issuer}": ${why}`);
  }
}

/** A trust anchor or revocation list file that cannot be used. */
export class TrustMaterialError extends KaoreaderError {
  readonly code = 'TRUST_MATERIAL_INVALID';
  constructor(
    readonly source: string,
    why: string,
    options?: { cause?: unknown },
  ) {
    super(`${source}: ${why}`, options);
  }
}
