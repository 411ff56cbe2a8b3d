/**
 * Every `KaoreaderError` code, by area: the one list the compiler checks raises, mappings
 * (the visit's endings table) and `switch`es against, so a check for a code nothing raises,
 * or a misspelt one, does not compile. To add an error: add its code to its area's list here,
 * then declare the class (`readonly code = 'NEW_CODE'`) in the area's errors file.
 * Codes cross the wire (facility replies, outbox results), so a code is never renamed.
 */
export const CORE_ERROR_CODES = [
  'CONFIG_INVALID',
  'TIMEOUT',
  'CANCELLED',
  'DEVICE_UNAVAILABLE',
  'STAFF_PASSWORD_POLICY',
  'TEMP_FILE_TAKEN',
  'INTERNAL',
] as const;

/** The ports' own errors (ports/facility-link.ts). */
export const PORT_ERROR_CODES = ['FACILITY_UNREACHABLE', 'FACILITY_REFUSED', 'OUTBOX_FULL'] as const;

/** apdu/ (codec, session) and apdu/myna/ (the card client). */
export const CARD_ERROR_CODES = [
  'APDU_STATUS',
  'CARD_REMOVED',
  'READER_GONE',
  'APDU_MALFORMED',
  'APDU_INVALID_COMMAND',
  'APDU_CHAIN_LIMIT',
  'NOT_MY_NUMBER_CARD',
  'CERTIFICATE_EXPIRED',
  'CERTIFICATE_UNTRUSTED',
  'WRONG_PIN',
  'PIN_BLOCKED',
  'LAST_TRY_NOT_CONFIRMED',
  'PIN_FORMAT',
  'SIGNATURE_INVALID',
  'CARD_FACE_ISSUER_UNKNOWN',
  'TERMINAL_AUTH_UNAVAILABLE',
] as const;

/** face/ (pipeline, worker, enrolment, models, the card front's 照合番号B). */
export const FACE_ERROR_CODES = [
  'FACE_BUDGET_EXCEEDED',
  'FACE_SPOOF_SUSPECTED',
  'FACE_MISMATCH',
  'FACE_NOT_ENROLLED',
  'FACE_NOT_IN_PHOTO',
  'PHOTO_DECODE_FAILED',
  'MODEL_CONVERSION_FAILED',
  'MODEL_CHECKSUM_MISMATCH',
  'VERIFICATION_NUMBER_B_INVALID',
  'DEGENERATE_QUAD',
  'CARD_FRONT_UNREADABLE',
  'FACE_WORKER_EXITED',
  'FACE_WORKER_CLOSED',
  'FACE_WORKER_FAILED',
  'FACE_WORKER_CRASHED',
  'FACE_WORKER_PROTOCOL',
] as const;

/** display/ and the real drivers in platform/. */
export const DEVICE_ERROR_CODES = [
  'VOICE_UNAVAILABLE',
  'QR_PAYLOAD',
  'FRAME_SIZE',
  'SCREEN_PARAMS',
  'FONT_FORMAT',
  'MESSAGE_FORMAT',
  'FRAME_LENGTH',
  'FB_GEOMETRY',
  'STORE',
  'PCSC',
  'CAMERA_CONFIG',
  'FRAME_SOURCE_BUSY',
] as const;

/** The reader's facility side: pairing, link, outbox, messages, settings, signed commands. */
export const LINK_ERROR_CODES = [
  'CSR_INVALID',
  'CODE_MISMATCH',
  'FINGERPRINT_MISMATCH',
  'FINGERPRINT_REQUIRED',
  'READER_MISMATCH',
  'BUNDLE_INVALID',
  'INSECURE_BROKER',
  'CA_MISSING',
  'NOT_PAIRED',
  'LINK_CLOSED',
  'OUTBOX_CLOSED',
  'MESSAGE_INVALID',
  'UNSUPPORTED_SCHEMA_VERSION',
  'COMMAND_KEY_INVALID',
  'UNSUPPORTED_COMMAND',
  'HANDLER_FAILED',
  // CommandRefusal (facility/commands/errors.ts)
  'NO_COMMAND_KEY',
  'WRONG_READER',
  'UNAUTHORISED',
  'NOT_YET_VALID',
  'EXPIRED',
  'LIFETIME_TOO_LONG',
  'REPLAYED',
  'REPLAY_WINDOW_FULL',
] as const;

/** visit/errors.ts: what an adapter translates a part's failure into. */
export const VISIT_ERROR_CODES = [
  'CERT_EXPIRED',
  'CERT_INVALID',
  'CARD_UNREADABLE',
  'VERIFICATION_NUMBER_B_UNREADABLE',
  'VERIFICATION_NUMBER_B_REFUSED',
  'FACE_UNAVAILABLE',
  'REGISTRATION_FAILED',
  'TERMINAL_AUTH_FAILED',
  'STAFF_UNAVAILABLE',
  'VISIT_TOO_LONG',
] as const;

/**
 * The facility service: the proof refusals both sides share (facility/messages/refusals.ts),
 * trust material, qualification provider, store.
 */
export const FACILITY_ERROR_CODES = [
  'PROOF_MISSING',
  'CHALLENGE_UNKNOWN',
  'CHALLENGE_OTHER_FACILITY',
  'CHALLENGE_OTHER_READER',
  'CHALLENGE_OTHER_VISIT',
  'CHALLENGE_EXPIRED',
  'CHALLENGE_REPLAYED',
  'CERTIFICATE_INVALID',
  'CERTIFICATE_REVOKED',
  'REVOCATION_UNKNOWN',
  'TRUST_MATERIAL_INVALID',
  'QUALIFICATION_UNAVAILABLE',
  'QUALIFICATION_TIMEOUT',
  'QUALIFICATION_FAILED',
  'STORE_UNAVAILABLE',
  'STORE_TOO_NEW',
  'STORE_CHECKPOINTER_STUCK',
  'COMMAND_NOT_SENT',
  'REGISTRATION_REFUSED',
  'FACILITY_ERROR',
] as const;

/** ota/ (TUF repository, release build, device agent). */
export const OTA_ERROR_CODES = [
  'UPDATE_REJECTED',
  'UPDATE_FETCH',
  'CANONICAL_JSON',
  'KEY_FILE',
  'TUF_REPOSITORY',
  'TAR_INVALID',
  'MANIFEST_INVALID',
  'PACKAGE_FETCH',
  'INSTALL_REQUEST_INVALID',
  'INSTALLER_UNIT',
  'ADDON_BUILD',
  'COMPILE_FAILED',
] as const;

/** cli/ and hardware-sim/ (scenarios, console, simulated parts). */
export const TOOL_ERROR_CODES = [
  'USAGE',
  'RESULT_REFUSED_BY_FACILITY',
  'SCENARIO_INVALID',
  'PANEL_INPUT',
  'CONSOLE_BUSY',
  'BAD_REQUEST',
  'STEP_NOT_APPLICABLE',
  'UNKNOWN_PATIENT',
  'NO_SUCH_BUTTON',
  'OP_LOG_INVALID',
  'IMAGE_SEQUENCE_INVALID',
  'DATASET_INVALID',
] as const;

export const ERROR_CODES = [
  ...CORE_ERROR_CODES,
  ...PORT_ERROR_CODES,
  ...CARD_ERROR_CODES,
  ...FACE_ERROR_CODES,
  ...DEVICE_ERROR_CODES,
  ...LINK_ERROR_CODES,
  ...VISIT_ERROR_CODES,
  ...FACILITY_ERROR_CODES,
  ...OTA_ERROR_CODES,
  ...TOOL_ERROR_CODES,
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

const KNOWN: ReadonlySet<string> = new Set(ERROR_CODES);

/** For codes that arrive as text (a worker's reply, a facility's answer). */
export function isErrorCode(code: string): code is ErrorCode {
  return KNOWN.has(code);
}
