/**
 * What a virtual My Number Card is issued from: the patient's profile (hardware-sim/patients/
 * profiles.ts, the one definition of who a simulated patient is) as far as the card carries it,
 * and the chip photo. The card's own encodings (YYYYMMDD dates, the sex code) are made where the
 * card is issued (issue.ts). Secrets are plain strings here because this is a simulator input,
 * never device data.
 */
import type { CalendarDate } from '../../firmware/card-front/era.ts';
import { verificationNumberB } from '../../firmware/apdu/myna/verification-number-b.ts';
import type { PatientProfile } from '../patients/profiles.ts';

export interface CardProfile extends Pick<PatientProfile, 'sex' | 'birthDate' | 'cardExpiry' | 'securityCode' | 'pin'> {
  /** Card id: names the cached keys and the persisted retry counters. */
  readonly id: string;
  /** Signature password (6–16 A–Z0–9); default derived. */
  readonly signPassword?: string;
  /** The chip photo: JPEG 2000 (JP2), greyscale (see jp2.ts / face-photo.ts). */
  readonly photoJp2: Uint8Array;
}

/** A date as the card stores it: Gregorian YYYYMMDD. */
export const cardDate = (d: CalendarDate): string => `${d.year}${String(d.month).padStart(2, '0')}${String(d.day).padStart(2, '0')}`;

/** The card's 照合番号B (14 ASCII digits): birth date, expiry year and security code. */
export function numberBOf(p: CardProfile): Uint8Array {
  return verificationNumberB({
    birthDate: cardDate(p.birthDate),
    expiryYear: cardDate(p.cardExpiry).slice(0, 4),
    securityCode: p.securityCode,
  });
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
