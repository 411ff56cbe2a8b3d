/**
 * Random, internally consistent card fronts for the OCR bench: a birth date 1930…2024, a card
 * that is valid now and expires on a birthday within 10 years (5 for minors), a random
 * security code and print style. Returns the truth (照合番号B) next to what gets printed.
 */
import { verificationNumberBOfEra } from '../../firmware/card-front/verification-number-b.ts';
import { daysInMonth, toEraDate, type CalendarDate } from '../../firmware/card-front/era.ts';
import { CARD_FONTS } from '../../hardware-sim/card-front/card-layout.ts';
import type { CardPrint, PrintStyle } from '../../hardware-sim/card-front/card-svg.ts';

const NAMES = ['山田 太郎', '佐藤 花子', '鈴木 一郎', '高橋 美咲', '伊藤 健', '渡辺 直美', '中村 翔', '小林 陽子'];
const ADDRESSES = [
  '東京都千代田区霞が関二丁目１番２号',
  '大阪府大阪市北区中之島一丁目３番２０号',
  '福岡県福岡市博多区東公園７番７号',
  '北海道札幌市中央区北三条西六丁目',
];

export interface RandomCard {
  readonly print: CardPrint;
  readonly style: PrintStyle;
  readonly truth: string;
}

/** Cards still valid in 2026 (the bench's year): expiry 2026…2036 (2031 for minors). */
const VALID_FROM = 2026;

const pick = <T>(rand: () => number, xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
const int = (rand: () => number, lo: number, hi: number): number => lo + Math.floor(rand() * (hi - lo + 1));

export function randomCard(rand: () => number, photoPng?: Uint8Array): RandomCard {
  const year = int(rand, 1930, 2024);
  const month = int(rand, 1, 12);
  const birth: CalendarDate = { year, month, day: int(rand, 1, daysInMonth(year, month)) };
  const minor = VALID_FROM - year < 18;
  const expYear = Math.max(int(rand, VALID_FROM, VALID_FROM + (minor ? 5 : 10)), year + 1);
  const expiry: CalendarDate = { year: expYear, month, day: Math.min(birth.day, daysInMonth(expYear, month)) };
  const securityCode = String(int(rand, 0, 9999)).padStart(4, '0');
  const birthEra = toEraDate(birth);
  if (!birthEra) throw new Error('unreachable: birth year ≥ 1930 is in 昭和 or later');
  const style: PrintStyle = {
    font: pick(rand, CARD_FONTS),
    weight: rand() < 0.25 ? 700 : 400,
    dx: (rand() * 2 - 1) * 0.4,
    dy: (rand() * 2 - 1) * 0.4,
  };
  return {
    print: {
      nameKanji: pick(rand, NAMES),
      address: pick(rand, ADDRESSES),
      sex: rand() < 0.5 ? '男' : '女',
      birth: birthEra,
      expiry,
      securityCode,
      ...(photoPng ? { photoPng } : {}),
    },
    style,
    truth: Buffer.from(verificationNumberBOfEra(birthEra, expYear, Buffer.from(securityCode, 'latin1'))).toString('latin1'), // ground truth of the bench
  };
}
