/**
 * Every error code the visit can end on, mapped to the outcome recorded for the facility and
 * the screen the patient sees: a guidance screen in their language, never a bare number.
 * Codes the visit does not know end on the fallback guidance (マイナポータル / 資格情報のお知らせ /
 * staff / 被保険者資格申立書), which is always a safe thing to tell a patient.
 */
import type { ErrorCode } from '../core/errors.ts';
import { FacilityRefusedError } from '../ports/facility-link.ts';
import { errorCodeOrInternal } from './errors.ts';
import type { Ending } from './states.ts';

const TABLE: Readonly<Partial<Record<ErrorCode, Omit<Ending, 'errorCode'>>>> = {
  CARD_REMOVED: { outcome: 'cancelled', screen: 'idle' },
  CANCELLED: { outcome: 'cancelled', screen: 'cancelled' },
  TIMEOUT: { outcome: 'cancelled', screen: 'timeout' },
  VISIT_TOO_LONG: { outcome: 'cancelled', screen: 'timeout' },
  NOT_MY_NUMBER_CARD: { outcome: 'error', screen: 'not-my-number-card' },
  CERT_EXPIRED: { outcome: 'error', screen: 'card-expired' },
  CERTIFICATE_EXPIRED: { outcome: 'error', screen: 'card-expired' },
  CERTIFICATE_UNTRUSTED: { outcome: 'error', screen: 'card-unreadable' },
  CERTIFICATE_REVOKED: { outcome: 'error', screen: 'card-expired' },
  CERTIFICATE_INVALID: { outcome: 'error', screen: 'card-unreadable' },
  CERT_INVALID: { outcome: 'error', screen: 'card-unreadable' },
  CARD_UNREADABLE: { outcome: 'error', screen: 'card-unreadable' },
  APDU_MALFORMED: { outcome: 'error', screen: 'card-unreadable' },
  APDU_STATUS: { outcome: 'error', screen: 'card-unreadable' },
  APDU_CHAIN_LIMIT: { outcome: 'error', screen: 'card-unreadable' },
  APDU_INVALID_COMMAND: { outcome: 'error', screen: 'card-unreadable' },
  SIGNATURE_INVALID: { outcome: 'error', screen: 'card-unreadable' },
  CARD_FACE_ISSUER_UNKNOWN: { outcome: 'error', screen: 'card-unreadable' },
  TERMINAL_AUTH_FAILED: { outcome: 'error', screen: 'card-unreadable' },
  PIN_BLOCKED: { outcome: 'rejected', screen: 'fallback' },
  READER_GONE: { outcome: 'fallback', screen: 'fallback' },
  DEVICE_UNAVAILABLE: { outcome: 'fallback', screen: 'fallback' },
  FACILITY_UNREACHABLE: { outcome: 'fallback', screen: 'fallback' },
  REGISTRATION_FAILED: { outcome: 'fallback', screen: 'fallback' },
  FACILITY_REFUSED: { outcome: 'fallback', screen: 'fallback' },
  // The facility refused the visit's proof (firmware/facility/messages/refusals.ts) or could
  // not check it: the card may be fine, the patient is sent to the usual fallback.
  PROOF_MISSING: { outcome: 'fallback', screen: 'fallback' },
  CHALLENGE_UNKNOWN: { outcome: 'fallback', screen: 'fallback' },
  CHALLENGE_OTHER_FACILITY: { outcome: 'fallback', screen: 'fallback' },
  CHALLENGE_OTHER_READER: { outcome: 'fallback', screen: 'fallback' },
  CHALLENGE_OTHER_VISIT: { outcome: 'fallback', screen: 'fallback' },
  CHALLENGE_EXPIRED: { outcome: 'fallback', screen: 'fallback' },
  CHALLENGE_REPLAYED: { outcome: 'fallback', screen: 'fallback' },
  REVOCATION_UNKNOWN: { outcome: 'fallback', screen: 'fallback' },
  QUALIFICATION_UNAVAILABLE: { outcome: 'fallback', screen: 'fallback' },
  QUALIFICATION_TIMEOUT: { outcome: 'fallback', screen: 'fallback' },
  QUALIFICATION_FAILED: { outcome: 'fallback', screen: 'fallback' },
};

/**
 * The code a visit ends on: a facility refusal ends on the facility's own code when this table
 * knows it (a revoked certificate shows the card-expired guidance), any other error on its code.
 */
export function endingCodeOf(err: unknown): ErrorCode {
  if (err instanceof FacilityRefusedError && mapped(err.facilityCode)) return err.facilityCode;
  return errorCodeOrInternal(err);
}

function mapped(code: string): code is ErrorCode {
  return Object.hasOwn(TABLE, code);
}

export function endingFor(code: ErrorCode): Ending {
  const known = TABLE[code];
  return known ? { ...known, errorCode: code } : { outcome: 'error', screen: 'fallback', errorCode: code };
}
