/**
 * The grammar of the three printed fields, read glyph by glyph from the classifier's labels:
 *   birth   <era kanji ×2><1–2 digits | 元>年<1–2 digits>月<1–2 digits>日生
 *   expiry  <4 digits>年<1–2 digits>月<1–2 digits>日まで有効
 *   code    <4 digits>
 * No field is ever joined into a string (strings cannot be wiped): numbers are accumulated
 * digit by digit and the security code goes straight into bytes the caller wipes.
 */
import type { CalendarDate, EraDate } from './era.ts';
import { eraFromKanji } from './era.ts';

type Glyphs = readonly { readonly char: string }[];

const digitOf = (g: { readonly char: string } | undefined): number | undefined => {
  const c = g?.char.charCodeAt(0);
  return g?.char.length === 1 && c !== undefined && c >= 0x30 && c <= 0x39 ? c - 0x30 : undefined;
};

/** Reads 1..`max` digits from `at`; returns the value and the next index, or undefined. */
function number(g: Glyphs, at: number, min: number, max: number): { value: number; next: number } | undefined {
  let value = 0;
  let i = at;
  for (; i < g.length && i - at < max; i++) {
    const d = digitOf(g[i]);
    if (d === undefined) break;
    value = value * 10 + d;
  }
  return i - at >= min ? { value, next: i } : undefined;
}

/** Matches the literal glyphs of `word` at `at`; returns the next index or undefined. */
function literal(g: Glyphs, at: number, word: readonly string[]): number | undefined {
  for (let k = 0; k < word.length; k++) if (g[at + k]?.char !== word[k]) return undefined;
  return at + word.length;
}

export function parseBirth(g: Glyphs): EraDate | undefined {
  const era = eraFromKanji(`${g[0]?.char ?? ''}${g[1]?.char ?? ''}`); // the era's name, not part of the number
  if (!era) return undefined;
  const gannen = g[2]?.char === '元';
  const year = gannen ? { value: 1, next: 3 } : number(g, 2, 1, 2);
  const y = year && literal(g, year.next, ['年']);
  const month = y !== undefined ? number(g, y, 1, 2) : undefined;
  const m = month && literal(g, month.next, ['月']);
  const day = m !== undefined ? number(g, m, 1, 2) : undefined;
  const end = day && literal(g, day.next, ['日', '生']);
  if (!year || !month || !day || end !== g.length) return undefined;
  return { era, eraYear: year.value, month: month.value, day: day.value };
}

export function parseExpiry(g: Glyphs): CalendarDate | undefined {
  const year = number(g, 0, 4, 4);
  const y = year && literal(g, year.next, ['年']);
  const month = y !== undefined ? number(g, y, 1, 2) : undefined;
  const m = month && literal(g, month.next, ['月']);
  const day = m !== undefined ? number(g, m, 1, 2) : undefined;
  const end = day && literal(g, day.next, ['日', 'ま', 'で', '有', '効']);
  if (!year || !month || !day || end !== g.length) return undefined;
  return { year: year.value, month: month.value, day: day.value };
}

/** The 4-digit security code as ASCII bytes (the caller wipes them), or undefined. */
export function parseCode(g: Glyphs): Uint8Array | undefined {
  if (g.length !== 4) return undefined;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const d = digitOf(g[i]);
    if (d === undefined) {
      out.fill(0);
      return undefined;
    }
    out[i] = 0x30 + d;
  }
  return out;
}
