/**
 * A simulated patient's card profile: what is printed on and stored in their My Number Card.
 * Secrets are plain strings here because this is a simulator input, never device data.
 */
export interface PatientProfile {
  /** Card id: names the cached keys and the persisted retry counters. */
  readonly id: string;
  /** Gregorian YYYYMMDD. */
  readonly birthDate: string;
  readonly sex: '1' | '2' | '9';
  /** Card expiry YYYYMMDD. */
  readonly expiry: string;
  /** 4 digits printed on the card front (part of 照合番号B). */
  readonly securityCode: string;
  /** User-auth PIN, 4 digits. */
  readonly pin: string;
  /** Signature password (6–16 A–Z0–9); default derived. */
  readonly signPassword?: string;
  /** The chip photo: JPEG 2000 (JP2), greyscale (see jp2.ts / face-photo.ts). */
  readonly photoJp2: Uint8Array;
}

/** Retry limits (spec card-apdu.md §Files): PIN 3, signature password 5, 照合番号A/B and 生年月日 10. */
export interface RetryLimits {
  readonly pin: number;
  readonly signPassword: number;
  readonly numberA: number;
  readonly numberB: number;
  readonly birthKey: number;
}

export const DEFAULT_LIMITS: RetryLimits = { pin: 3, signPassword: 5, numberA: 10, numberB: 10, birthKey: 10 };
