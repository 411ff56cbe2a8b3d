/**
 * Japanese eras (元号) for the birth date printed on the card and encoded in 照合番号B.
 * Era boundaries (first day, Gregorian): 大正 1912-07-30, 昭和 1926-12-25, 平成 1989-01-08,
 * 令和 2019-05-01. Year 1 of an era is printed 元年. Dates are calendar dates (no time zone).
 */
export type Era = 'taisho' | 'showa' | 'heisei' | 'reiwa';

export interface CalendarDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

export interface EraDate {
  readonly era: Era;
  /** 1 = 元年. */
  readonly eraYear: number;
  readonly month: number;
  readonly day: number;
}

interface EraSpan {
  readonly era: Era;
  readonly kanji: string;
  readonly start: CalendarDate;
}

export const ERAS: readonly EraSpan[] = [
  { era: 'taisho', kanji: '大正', start: { year: 1912, month: 7, day: 30 } },
  { era: 'showa', kanji: '昭和', start: { year: 1926, month: 12, day: 25 } },
  { era: 'heisei', kanji: '平成', start: { year: 1989, month: 1, day: 8 } },
  { era: 'reiwa', kanji: '令和', start: { year: 2019, month: 5, day: 1 } },
];

const key = (d: CalendarDate): number => d.year * 10_000 + d.month * 100 + d.day;

export function isValidDate(d: CalendarDate): boolean {
  if (!Number.isInteger(d.year) || !Number.isInteger(d.month) || !Number.isInteger(d.day)) return false;
  if (d.month < 1 || d.month > 12 || d.day < 1) return false;
  return d.day <= daysInMonth(d.year, d.month);
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function compareDates(a: CalendarDate, b: CalendarDate): number {
  return key(a) - key(b);
}

/** The era date of a Gregorian date, or undefined before 大正 or for an invalid date. */
export function toEraDate(d: CalendarDate): EraDate | undefined {
  if (!isValidDate(d)) return undefined;
  for (let i = ERAS.length - 1; i >= 0; i--) {
    const span = ERAS[i] as EraSpan;
    if (key(d) >= key(span.start)) return { era: span.era, eraYear: d.year - span.start.year + 1, month: d.month, day: d.day };
  }
  return undefined;
}

/** The Gregorian date of an era date, or undefined when that date is not inside the era. */
export function fromEraDate(e: EraDate): CalendarDate | undefined {
  const i = ERAS.findIndex((s) => s.era === e.era);
  const span = ERAS[i];
  if (!span || !Number.isInteger(e.eraYear) || e.eraYear < 1) return undefined;
  const d = { year: span.start.year + e.eraYear - 1, month: e.month, day: e.day };
  if (!isValidDate(d) || key(d) < key(span.start)) return undefined;
  const next = ERAS[i + 1];
  if (next && key(d) >= key(next.start)) return undefined;
  return d;
}

export function eraKanji(era: Era): string {
  return (ERAS.find((s) => s.era === era) as EraSpan).kanji;
}

export function eraFromKanji(kanji: string): Era | undefined {
  return ERAS.find((s) => s.kanji === kanji)?.era;
}
