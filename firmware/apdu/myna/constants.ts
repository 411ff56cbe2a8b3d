/**
 * My Number Card applets, files and limits (../../../docs, spec card-apdu.md §Applets, §Files).
 */
export const AID = {
  /** 公的個人認証 AP: user-auth certificate and key. */
  jpki: Uint8Array.from([0xd3, 0x92, 0xf0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01]),
  /** 券面事項確認 AP: card-face images (face photo). */
  cardFace: Uint8Array.from([0xd3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x02]),
} as const;

export const JPKI_EF = {
  tokenInfo: 0x0006,
  authCertificate: 0x000a,
  authCa: 0x000b,
  authKey: 0x0017,
  authPin: 0x0018,
  /** 特定機関認証 key reference (proprietary; simulated). */
  terminalAuth: 0x0016,
} as const;

export const CARD_FACE_EF = {
  cardFace: 0x0002,
  cvCertificate: 0x0004,
  verificationNumberB: 0x0012,
} as const;

/** Retry limits the card enforces (spec card-apdu.md §Files): the reader reads the counter anyway. */
export const RETRY_LIMITS = { userAuthPin: 3, verificationNumberB: 10 } as const;

/** EF 0006: first 32 bytes = label, space padded. */
export const TOKEN_LABEL = 'JPKIAPICCTOKEN2';

export const LIMITS = {
  /** Largest certificate we accept (DER). */
  maxCertificateBytes: 4096,
  /** EF 0002 is under 32 KiB. */
  maxCardFaceBytes: 32767,
  /** Short READ BINARY chunk. */
  shortChunk: 256,
} as const;
