/**
 * 照合番号B: the 14-digit key of the card-face AP (spec: card-apdu.md): birth date as
 * Japanese-era YYMMDD (6) + card expiry year YYYY (4) + the 4-digit security code printed on
 * the front. Built only from fields that passed the consistency checks of `card-front-fields.ts`.
 */
import { KaoreaderError } from '../../core/errors.ts';
import type { EraDate } from './era.ts';

export class CollationNumberError extends KaoreaderError {
  readonly code = 'COLLATION_NUMBER_INVALID';
}

const two = (n: number): string => String(n).padStart(2, '0');

export function collationNumberB(birth: EraDate, expiryYear: number, securityCode: string): string {
  if (birth.eraYear < 1 || birth.eraYear > 99) throw new CollationNumberError(`era year out of range: ${birth.eraYear}`);
  if (!Number.isInteger(expiryYear) || expiryYear < 2015 || expiryYear > 2099) throw new CollationNumberError(`expiry year out of range: ${expiryYear}`);
  if (!/^\d{4}$/.test(securityCode)) throw new CollationNumberError('security code must be 4 digits');
  return `${two(birth.eraYear)}${two(birth.month)}${two(birth.day)}${expiryYear}${securityCode}`;
}
