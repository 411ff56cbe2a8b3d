/**
 * 照合番号B (14 ASCII digits): birth date as Japanese-era YYMMDD + card expiry year YYYY +
 * the 4-digit security code printed on the card front (spec card-apdu.md §Files).
 * The reader gets the parts by scanning the card front.
 */
import { InvalidPinFormatError } from './errors.ts';

/** Era start dates (YYYYMMDD) and the Gregorian year before year 1 of each era. */
const ERAS: readonly { from: number; base: number }[] = [
  { from: 20190501, base: 2018 }, // 令和
  { from: 19890108, base: 1988 }, // 平成
  { from: 19261225, base: 1925 }, // 昭和
  { from: 19120730, base: 1911 }, // 大正
  { from: 18680125, base: 1867 }, // 明治
];

export interface VerificationNumberBParts {
  /** Gregorian YYYYMMDD. */
  readonly birthDate: string;
  /** Card expiry year YYYY. */
  readonly expiryYear: string;
  readonly securityCode: string;
}

export function verificationNumberB(p: VerificationNumberBParts): Uint8Array {
  const bad = (): never => {
    throw new InvalidPinFormatError('verification-number-b', 'birth date YYYYMMDD, expiry year YYYY and a 4-digit security code');
  };
  if (!/^\d{8}$/.test(p.birthDate) || !/^\d{4}$/.test(p.expiryYear) || !/^\d{4}$/.test(p.securityCode)) bad();
  const ymd = Number(p.birthDate);
  const era = ERAS.find((e) => ymd >= e.from) ?? bad();
  const yy = Math.floor(ymd / 10000) - era.base;
  const text = `${String(yy).padStart(2, '0')}${p.birthDate.slice(4)}${p.expiryYear}${p.securityCode}`;
  if (text.length !== 14) bad();
  return new Uint8Array(Buffer.from(text, 'latin1'));
}
