/**
 * Template-matching classifier for card-front glyphs. Score = NCC of the 16×16 features minus
 * penalties for a different box aspect and height; a glyph's confidence is its best score and
 * its margin over the best template of any other character (the number that guards against a
 * misread: 3 vs 8, 1 vs 7).
 */
import { dot, type GlyphFeature } from './glyph-features.ts';
import type { GlyphTemplate } from './glyph-templates.ts';

export interface Classification {
  readonly char: string;
  readonly score: number;
  /** Best score minus the best score of any other character. */
  readonly margin: number;
  readonly runnerUp: string;
}

const ASPECT_WEIGHT = 0.35;
const HEIGHT_WEIGHT = 0.6;

export class GlyphClassifier {
  readonly #byAllowed = new Map<string, readonly GlyphTemplate[]>();

  constructor(readonly templates: readonly GlyphTemplate[]) {}

  #subset(allowed: string): readonly GlyphTemplate[] {
    let list = this.#byAllowed.get(allowed);
    if (!list) {
      list = this.templates.filter((t) => allowed.includes(t.char));
      this.#byAllowed.set(allowed, list);
    }
    return list;
  }

  classify(f: GlyphFeature, allowed: string): Classification {
    const best = new Map<string, number>();
    for (const t of this.#subset(allowed)) {
      const s =
        dot(f.vec, t.vec) -
        ASPECT_WEIGHT * Math.abs(Math.log(f.aspect / t.aspect)) -
        HEIGHT_WEIGHT * Math.abs(Math.log(f.height / t.height));
      if (s > (best.get(t.char) ?? -Infinity)) best.set(t.char, s);
    }
    let char = '';
    let score = -Infinity;
    let runnerUp = '';
    let second = -Infinity;
    for (const [c, s] of best) {
      if (s > score) {
        runnerUp = char;
        second = score;
        char = c;
        score = s;
      } else if (s > second) {
        runnerUp = c;
        second = s;
      }
    }
    return { char, score, margin: score - second, runnerUp };
  }
}
