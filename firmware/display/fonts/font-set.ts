/**
 * Finds the installed font file of each family and weight the screens use (through `fc-match`,
 * the same fontconfig the SVG renderer uses), parses it once, and measures strings in px with
 * per-character fallback along a language's family list, as pango does when it renders.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { DeviceUnavailableError } from '../../core/errors.ts';
import { parseFont, type FontMetrics } from './opentype.ts';

export type Weight = 'regular' | 'bold';

export interface FontResolver {
  /** File and collection index of the font fontconfig picks for `family` at `weight`. */
  resolve(family: string, weight: Weight): { readonly file: string; readonly index: number };
}

export const fcMatchResolver: FontResolver = {
  resolve(family, weight) {
    let out: string;
    try {
      out = execFileSync('fc-match', ['-f', '%{file}\n%{index}\n%{family}\n', `${family}:weight=${weight === 'bold' ? 200 : 80}`], {
        encoding: 'utf8',
        timeout: 10_000,
      });
    } catch (err) {
      throw new DeviceUnavailableError('fontconfig (fc-match)', 'install fontconfig and the fonts in scripts/setup.sh', { cause: err });
    }
    const [file, index, families] = out.split('\n');
    if (!file || !families?.split(',').includes(family)) {
      throw new DeviceUnavailableError(`font "${family}"`, 'install fonts-noto-core and fonts-noto-cjk (scripts/setup.sh)');
    }
    return { file, index: Number(index ?? 0) };
  },
};

/** Parses one font of a file, reading only the tables it needs (CJK collections are ~20 MB). */
function readFontFile(file: string, index: number): FontMetrics {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    return parseFont(
      {
        size,
        read(offset, length) {
          const b = Buffer.alloc(length);
          readSync(fd, b, 0, length, offset);
          return b;
        },
      },
      index,
    );
  } finally {
    closeSync(fd);
  }
}

/** Fallback width for a character no font has (renders as tofu: a full em box). */
const MISSING_ADVANCE = 1;

export class FontSet {
  readonly #fonts = new Map<string, FontMetrics>();
  constructor(readonly resolver: FontResolver = fcMatchResolver) {}

  font(family: string, weight: Weight): FontMetrics {
    const key = `${family}|${weight}`;
    let f = this.#fonts.get(key);
    if (!f) {
      const { file, index } = this.resolver.resolve(family, weight);
      f = readFontFile(file, index);
      this.#fonts.set(key, f);
    }
    return f;
  }

  /** Largest ascent and descent (em) over the families, so lines of any of them fit. */
  extents(families: readonly string[], weight: Weight): { ascent: number; descent: number } {
    let ascent = 0;
    let descent = 0;
    for (const fam of families) {
      const f = this.font(fam, weight);
      ascent = Math.max(ascent, f.ascent);
      descent = Math.max(descent, f.descent);
    }
    return { ascent, descent };
  }

  /** Width of `text` in em (multiply by the font size for px). */
  measure(text: string, families: readonly string[], weight: Weight): number {
    let width = 0;
    for (const ch of text) {
      const cp = ch.codePointAt(0) as number;
      let adv: number | undefined;
      for (const fam of families) {
        adv = this.font(fam, weight).advance(cp);
        if (adv !== undefined) break;
      }
      // Spaces next to CJK text render wider than the CJK font's own space (pango picks another
      // glyph); count at least a quarter em so measured widths stay an upper bound.
      width += cp === 0x20 ? Math.max(adv ?? 0, 0.25) : (adv ?? (cp < 0x20 ? 0 : MISSING_ADVANCE));
    }
    return width;
  }

  /** Characters of `text` no family has a glyph for (would render as tofu). */
  missing(text: string, families: readonly string[], weight: Weight): string[] {
    const out = new Set<string>();
    for (const ch of text) {
      const cp = ch.codePointAt(0) as number;
      if (cp < 0x20 || cp === 0x200b) continue;
      if (!families.some((fam) => this.font(fam, weight).advance(cp) !== undefined)) out.add(ch);
    }
    return [...out];
  }
}
