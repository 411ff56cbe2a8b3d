/**
 * Typed errors of the visit, and the error codes it understands from the parts. The parts'
 * own error classes (card client, face, facility link) carry the same `code` strings; an
 * adapter whose part uses another code translates it into `VisitError`.
 */
import { KaoreaderError, type ErrorCode } from '../core/errors.ts';

export type VisitErrorCode = Extract<
  ErrorCode,
  | 'CARD_REMOVED'
  | 'READER_GONE'
  | 'NOT_MY_NUMBER_CARD'
  | 'CERT_EXPIRED'
  | 'CERT_INVALID'
  | 'CARD_UNREADABLE'
  | 'PIN_BLOCKED'
  | 'VERIFICATION_NUMBER_B_UNREADABLE'
  | 'VERIFICATION_NUMBER_B_REFUSED'
  | 'FACE_UNAVAILABLE'
  | 'FACILITY_UNREACHABLE'
  | 'REGISTRATION_FAILED'
  | 'SIGNATURE_INVALID'
  | 'TERMINAL_AUTH_FAILED'
  | 'CARD_FACE_ISSUER_UNKNOWN'
  | 'STAFF_UNAVAILABLE'
  | 'TIMEOUT'
  | 'CANCELLED'
  | 'DEVICE_UNAVAILABLE'
  | 'VISIT_TOO_LONG'
  | 'INTERNAL'
>;

export class VisitError extends KaoreaderError {
  constructor(
    readonly code: VisitErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The card was pulled during the visit (the abort reason of a visit's signal). */
export class CardRemovedError extends KaoreaderError {
  readonly code = 'CARD_REMOVED';
  constructor() {
    super('the card was removed');
  }
}

/** The `code` of any error, `INTERNAL` for untyped ones (a Node `ENOENT` included). */
export function errorCodeOrInternal(err: unknown): ErrorCode {
  return err instanceof KaoreaderError ? err.code : 'INTERNAL';
}
