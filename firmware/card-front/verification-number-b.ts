/**
 * 照合番号B: the 14-digit key of the card-face AP (spec: card-apdu.md): birth date as
 * Japanese-era YYMMDD (6) + card expiry year YYYY (4) + the 4-digit security code printed on
 * the front. Built only from fields that passed the consistency checks of `card-front-fields.ts`,
 * straight into ASCII bytes (never a string: it is a secret the caller wipes after the VERIFY).
 * Errors name what is wrong, never a value.
 */
import { KaoreaderError } from '../core/errors.ts';
import type { EraDate } from './era.ts';

export class VerificationNumberBError extends KaoreaderError {
  readonly code = 'VERIFICATION_NUMBER_B_INVALID';
}

function put(out: Uint8Array, at: number, value: number, width: number): void {
  let v = value;
  for (let i = width - 1; i >= 0; i--) {
    out[at + i] = 0x30 + (v % 10);
    v = Math.floor(v / 10);
  }
}

/** The 14 ASCII digits of 照合番号B; `securityCode` is 4 ASCII digits (left to the caller to wipe). */
export function verificationNumberBOfEra(birth: EraDate, expiryYear: number, securityCode: Uint8Array): Uint8Array {
  const inRange = (v: number, lo: number, hi: number): boolean => Number.isInteger(v) && v >= lo && v <= hi;
  if (!inRange(birth.eraYear, 1, 99) || !inRange(birth.month, 1, 12) || !inRange(birth.day, 1, 31))
    throw new VerificationNumberBError('the birth date does not fit 照合番号B');
  if (!inRange(expiryYear, 2015, 2099)) throw new VerificationNumberBError('the expiry year does not fit 照合番号B');
  if (securityCode.length !== 4 || securityCode.some((b) => b < 0x30 || b > 0x39))
    throw new VerificationNumberBError('the security code must be 4 digits');
  const out = new Uint8Array(14);
  put(out, 0, birth.eraYear, 2);
  put(out, 2, birth.month, 2);
  put(out, 4, birth.day, 2);
  put(out, 6, expiryYear, 4);
  out.set(securityCode, 10);
  return out;
}
