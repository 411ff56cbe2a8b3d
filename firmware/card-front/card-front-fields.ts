/**
 * The three printed fields that make 照合番号B, and the consistency rules a read must pass
 * before it may be used for VERIFY (a wrong number spends a card try):
 * - the birth date exists inside its era (no 平成32年, no 2月30日) and is not in the future,
 *   and the holder is at most 125 years old;
 * - the expiry date is a real date in a plausible year (this year − 1 … this year + 11) and
 *   after the birth date;
 * - the expiry month/day is the holder's birthday (cards expire on a birthday; 2/29 → 2/28 or
 *   3/1). Cards of foreign residents expire with the residence status instead: for those the
 *   read is accepted only at the higher glyph confidence (`birthdayExpiry: false` below).
 * Problems are worded without the values (a birth date never reaches an error or a log).
 */
import { compareDates, fromEraDate, isValidDate, type CalendarDate, type EraDate } from './era.ts';

export interface CardFrontFields {
  readonly birth: EraDate;
  readonly expiry: CalendarDate;
  /** 4 ASCII digits (a secret: wiped once 照合番号B is built). */
  readonly securityCode: Uint8Array;
}

export interface FieldCheck {
  readonly ok: boolean;
  readonly problems: readonly string[];
  /** Expiry falls on the birthday (the usual rule): the ordinary confidence suffices. */
  readonly birthdayExpiry: boolean;
}

export function checkFields(f: CardFrontFields, today: CalendarDate): FieldCheck {
  const problems: string[] = [];
  const birth = fromEraDate(f.birth);
  if (!birth) problems.push('birth date does not exist in its era');
  else {
    if (compareDates(birth, today) > 0) problems.push('birth date in the future');
    if (today.year - birth.year > 125) problems.push('birth date more than 125 years ago');
  }
  if (!isValidDate(f.expiry)) problems.push('expiry is not a date');
  else if (f.expiry.year < today.year - 1 || f.expiry.year > today.year + 11) problems.push('expiry year implausible');
  else if (birth && compareDates(f.expiry, birth) <= 0) problems.push('expiry before birth');
  if (f.securityCode.length !== 4 || f.securityCode.some((b) => b < 0x30 || b > 0x39)) problems.push('security code is not 4 digits');
  const birthdayExpiry = birth !== undefined && isBirthday(f.expiry, birth);
  return { ok: problems.length === 0, problems, birthdayExpiry };
}

function isBirthday(d: CalendarDate, birth: CalendarDate): boolean {
  if (d.month === birth.month && d.day === birth.day) return true;
  if (birth.month === 2 && birth.day === 29) return (d.month === 2 && d.day === 28) || (d.month === 3 && d.day === 1);
  return false;
}
