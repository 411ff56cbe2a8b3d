/**
 * Wrap and shrink: breaks a text into lines that fit its box, at the largest font size between
 * the preferred and the minimum that fits. Break opportunities come from Intl.Segmenter word
 * boundaries in the text's language (Thai has no spaces; CJK breaks between words), with
 * kinsoku-style rules (no closing punctuation at a line start, no opening one at a line end);
 * a word wider than the box is broken between graphemes. Widths come from the fonts' advance
 * widths (FontSet), an upper bound of the rendered ink.
 */
import type { FontSet } from '../fonts/font-set.ts';
import { LANGUAGES, type Lang } from '../i18n/languages.ts';
import type { FittedText, TextLine, TextSpec } from './types.ts';

const CLOSING = /^[\s、。，．,.!?！？:：;；)）\]］」』】〕〉》…‥ー〜・%％'’"”-]/u;
const OPENING = /[(（[［「『【〔〈《‘“]$/u;
const MAX_STEPS = 20;
/** Room kept on each side of a line for glyphs that overhang their advance (j, f, italics), in em. */
const OVERHANG = 0.08;

interface Token {
  readonly text: string;
  readonly em: number;
  readonly trimmedEm: number;
}

const segmenters = new Map<string, { word: Intl.Segmenter; grapheme: Intl.Segmenter }>();
function segmenter(lang: Lang): { word: Intl.Segmenter; grapheme: Intl.Segmenter } {
  let s = segmenters.get(lang);
  if (!s) {
    const locale = LANGUAGES[lang].locale;
    s = { word: new Intl.Segmenter(locale, { granularity: 'word' }), grapheme: new Intl.Segmenter(locale, { granularity: 'grapheme' }) };
    segmenters.set(lang, s);
  }
  return s;
}

/** Unbreakable pieces of one paragraph, with trailing spaces kept (a break may follow them). */
function pieces(paragraph: string, lang: Lang): string[] {
  const out: string[] = [];
  let carry = '';
  for (const { segment } of segmenter(lang).word.segment(paragraph)) {
    if (out.length > 0 && carry === '' && CLOSING.test(segment)) {
      out[out.length - 1] += segment;
      continue;
    }
    const piece = carry + segment;
    carry = '';
    if (OPENING.test(piece)) {
      carry = piece;
      continue;
    }
    out.push(piece);
  }
  if (carry) out.push(carry);
  return out;
}

function tokenize(paragraph: string, lang: Lang, measure: (s: string) => number): Token[] {
  return pieces(paragraph, lang).map((text) => ({ text, em: measure(text), trimmedEm: measure(text.trimEnd()) }));
}

function splitLong(token: Token, maxEm: number, lang: Lang, measure: (s: string) => number): Token[] {
  const out: Token[] = [];
  let cur = '';
  for (const { segment } of segmenter(lang).grapheme.segment(token.text)) {
    if (cur && measure((cur + segment).trimEnd()) > maxEm) {
      out.push({ text: cur, em: measure(cur), trimmedEm: measure(cur.trimEnd()) });
      cur = '';
    }
    cur += segment;
  }
  if (cur) out.push({ text: cur, em: measure(cur), trimmedEm: measure(cur.trimEnd()) });
  return out;
}

/** Greedy line breaking in em units; returns each line's text and width in em. */
export function wrap(
  paragraphs: readonly Token[][],
  maxEm: number,
  lang: Lang,
  measure: (s: string) => number,
): { text: string; em: number }[] {
  const lines: { text: string; em: number }[] = [];
  for (const tokens of paragraphs) {
    let text = '';
    let em = 0;
    const queue = [...tokens];
    for (let guard = 0; queue.length > 0 && guard < 10_000; guard++) {
      const tok = queue.shift() as Token;
      if (text === '' && tok.trimmedEm > maxEm) {
        const parts = splitLong(tok, maxEm, lang, measure);
        if (parts.length > 1) {
          queue.unshift(...parts);
          continue;
        }
      }
      if (text !== '' && em + tok.trimmedEm > maxEm) {
        lines.push({ text: text.trimEnd(), em: measure(text.trimEnd()) });
        text = '';
        em = 0;
        queue.unshift({ ...tok, text: tok.text.trimStart(), em: measure(tok.text.trimStart()) });
        continue;
      }
      text += tok.text;
      em += tok.em;
    }
    lines.push({ text: text.trimEnd(), em: measure(text.trimEnd()) });
  }
  return lines;
}

/** Fits `spec` into its rectangle; `overflow` is set when the minimum size still does not fit. */
export function fitText(spec: TextSpec, fonts: FontSet): FittedText {
  const families = LANGUAGES[spec.lang].fonts;
  const measure = (s: string): number => fonts.measure(s, families, spec.weight);
  const { ascent, descent } = fonts.extents(families, spec.weight);
  const lineEm = ascent + descent;
  const paragraphs = spec.text.split('\n').map((p) => tokenize(p, spec.lang, measure));
  let size = Math.max(spec.size, spec.minSize);
  let lines: { text: string; em: number }[] = [];
  let overflow = false;
  for (let step = 0; step < MAX_STEPS; step++) {
    const maxEm = spec.rect.w / size - 2 * OVERHANG;
    lines = wrap(paragraphs, maxEm, spec.lang, measure);
    const fits = lines.length * lineEm * size <= spec.rect.h && lines.every((l) => l.em <= maxEm + 1e-9);
    if (fits) break;
    if (size <= spec.minSize) {
      overflow = true;
      break;
    }
    size = Math.max(spec.minSize, Math.floor(size * 0.92));
  }
  const lineH = lineEm * size;
  const blockH = lines.length * lineH;
  const top = spec.valign === 'middle' ? spec.rect.y + Math.max(0, (spec.rect.h - blockH) / 2) : spec.rect.y;
  const x = spec.align === 'center' ? spec.rect.x + spec.rect.w / 2 : spec.rect.x + OVERHANG * size;
  const fitted: TextLine[] = lines.map((l, i) => ({ text: l.text, x, baseline: top + i * lineH + ascent * size, width: l.em * size }));
  return { ...spec, families, fontSize: size, lines: fitted, overflow };
}
