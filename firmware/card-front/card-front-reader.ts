/**
 * The card-front OCR: scan → card corners → the three fields rectified upright → glyphs read
 * against templates → grammar of each field → consistency rules → 照合番号B. It answers only
 * when every glyph is confidently recognised (score and margin over the runner-up) and the
 * fields are consistent; everything else is an UnreadableCardFrontError, because a wrong number
 * would spend one of the card's few tries. The security code, which nothing cross-checks, is
 * read twice at different sampling and must agree. The card may lie upside down (tried second).
 * 照合番号B is returned as ASCII bytes built glyph by glyph (field-parse.ts), never a string, for
 * the caller to wipe after the VERIFY; no error carries a read value.
 * `readYielding` is the same read in stages, for callers that must not stall their event loop.
 */
import type { Clock } from '../ports/clock.ts';
import type { CardFrontImage } from '../ports/card-front-scanner.ts';
import { checkFields, type CardFrontFields } from './card-front-fields.ts';
import { verificationNumberBOfEra } from './verification-number-b.ts';
import type { CalendarDate } from './era.ts';
import { parseBirth, parseCode, parseExpiry } from './field-parse.ts';
import { UnreadableCardFrontError } from './errors.ts';
import { CARD_MM, FIELDS, type FieldRegion } from './field-layout.ts';
import { GlyphClassifier } from './glyph-classifier.ts';
import { EM_PX, renderTemplates } from './glyph-templates.ts';
import { apply, homographyFrom, type Homography, type Point } from './homography.ts';
import { locateCard } from './card-locator.ts';
import { readLine, type LineRead } from './line-reader.ts';
import { rectify } from './rectify.ts';

export interface CardFrontReaderOptions {
  readonly clock: Clock;
  /** Least glyph score (NCC minus shape penalties) accepted. */
  readonly minScore?: number;
  /** Least margin of a glyph over its runner-up. */
  readonly minMargin?: number;
  /** Margin required when the expiry is not on the birthday (foreign residents' cards). */
  readonly strictMargin?: number;
}

export interface CardFrontRead {
  /** 14 ASCII digits: a secret the caller wipes after the VERIFY. */
  readonly verificationNumberB: Uint8Array;
  /** The dates read (the security code is only inside `verificationNumberB`). */
  readonly fields: Omit<CardFrontFields, 'securityCode'>;
  /** Lowest glyph score, 0…1. */
  readonly confidence: number;
  /** Lowest margin of any glyph over its runner-up. */
  readonly minMargin: number;
  readonly upsideDown: boolean;
}

const PX_PER_MM = EM_PX / 3;
const SECOND_PX_PER_MM = 11.5;

/** Today's date in Japan (cards and birthdays are Japanese calendar dates). */
export function japanToday(clock: Clock): CalendarDate {
  const d = new Date(clock.now() + 9 * 3600_000);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

export class CardFrontReader {
  readonly #minScore: number;
  readonly #minMargin: number;
  readonly #strictMargin: number;

  constructor(
    readonly classifier: GlyphClassifier,
    readonly options: CardFrontReaderOptions,
  ) {
    this.#minScore = options.minScore ?? 0.55;
    this.#minMargin = options.minMargin ?? 0.08;
    this.#strictMargin = options.strictMargin ?? 0.2;
  }

  /** Renders the glyph templates from the installed fonts (once, ~0.1–0.3 s). */
  static async create(options: CardFrontReaderOptions): Promise<CardFrontReader> {
    return new CardFrontReader(new GlyphClassifier(await renderTemplates()), options);
  }

  read(image: CardFrontImage): CardFrontRead {
    const steps = this.#reading(image);
    for (;;) {
      const r = steps.next();
      if (r.done) return r.value;
    }
  }

  /**
   * The same read, giving the event loop a turn between its stages (locating, each field), so a
   * visit's camera and screen keep running while the card front is read.
   */
  async readYielding(image: CardFrontImage): Promise<CardFrontRead> {
    const steps = this.#reading(image);
    for (;;) {
      const r = steps.next();
      if (r.done) return r.value;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  *#reading(image: CardFrontImage): Generator<void, CardFrontRead> {
    const corners = locateCard(image);
    yield;
    try {
      return yield* this.#readOriented(image, corners, false);
    } catch (upright) {
      if (!(upright instanceof UnreadableCardFrontError) || upright.reason === 'inconsistent') throw upright;
      try {
        return yield* this.#readOriented(image, [corners[2], corners[3], corners[0], corners[1]], true);
      } catch {
        throw upright;
      }
    }
  }

  #readField(image: CardFrontImage, h: Homography, f: FieldRegion, pxPerMm: number): LineRead {
    const roi = rectify(image, h, f.rect, pxPerMm);
    try {
      return readLine(roi, { centreY: f.centreYmm * pxPerMm, em: f.emMm * pxPerMm, allowed: f.allowed }, this.classifier, f.name);
    } finally {
      roi.data.fill(0);
    }
  }

  *#readOriented(image: CardFrontImage, corners: readonly Point[], upsideDown: boolean): Generator<void, CardFrontRead> {
    const h = homographyFrom(
      [
        [0, 0],
        [CARD_MM.width, 0],
        [CARD_MM.width, CARD_MM.height],
        [0, CARD_MM.height],
      ],
      corners,
    );
    const lines = new Map<FieldRegion['name'], LineRead>();
    for (const f of FIELDS) {
      const outside = [
        [f.rect.x0, f.rect.y0],
        [f.rect.x1, f.rect.y0],
        [f.rect.x1, f.rect.y1],
        [f.rect.x0, f.rect.y1],
      ]
        .map(([x, y]) => apply(h, x as number, y as number))
        .some(([x, y]) => x < 0 || y < 0 || x > image.width || y > image.height);
      if (outside) throw new UnreadableCardFrontError('no-card', `the ${f.name} field is outside the scan`);
      lines.set(f.name, this.#readField(image, h, f, PX_PER_MM));
      yield;
    }
    // the security code has no cross-check: read it a second time, resampled at another scale
    // and phase, and accept only when both reads agree
    const codeField = FIELDS.find((f) => f.name === 'securityCode') as FieldRegion;
    const second = this.#readField(
      image,
      h,
      {
        ...codeField,
        rect: { ...codeField.rect, x0: codeField.rect.x0 + 0.05, y0: codeField.rect.y0 + 0.05 },
        centreYmm: codeField.centreYmm - 0.05,
      },
      SECOND_PX_PER_MM,
    );
    const glyphsOf = (name: FieldRegion['name']): LineRead['glyphs'] => lines.get(name)?.glyphs ?? [];
    const birth = parseBirth(glyphsOf('birth'));
    const expiry = parseExpiry(glyphsOf('expiry'));
    const code = parseCode(glyphsOf('securityCode'));
    const again = parseCode(second.glyphs);
    try {
      if (!birth || !expiry || !code)
        throw new UnreadableCardFrontError(
          'unexpected-text',
          `fields do not read as a birth date, an expiry and a code (${[!birth && 'birth', !expiry && 'expiry', !code && 'code'].filter(Boolean).join(', ')})`,
        );
      if (!again || code.some((b, i) => b !== again[i]))
        throw new UnreadableCardFrontError('low-confidence', 'two reads of the security code disagree');
      const glyphs = [...lines.values()].flatMap((l) => l.glyphs);
      const confidence = Math.min(...glyphs.map((g) => g.score));
      const minMargin = Math.min(...glyphs.map((g) => g.margin));
      if (confidence < this.#minScore || minMargin < this.#minMargin)
        throw new UnreadableCardFrontError(
          'low-confidence',
          `weakest glyph score ${confidence.toFixed(2)}, margin ${minMargin.toFixed(2)}`,
        );
      const fields: CardFrontFields = { birth, expiry, securityCode: code };
      const check = checkFields(fields, japanToday(this.options.clock));
      if (!check.ok) throw new UnreadableCardFrontError('inconsistent', check.problems.join('; '));
      if (!check.birthdayExpiry && minMargin < this.#strictMargin)
        throw new UnreadableCardFrontError(
          'low-confidence',
          `expiry is not on the birthday and the weakest margin is ${minMargin.toFixed(2)}`,
        );
      return {
        verificationNumberB: verificationNumberBOfEra(birth, expiry.year, code),
        fields: { birth, expiry },
        confidence,
        minMargin,
        upsideDown,
      };
    } finally {
      code?.fill(0);
      again?.fill(0);
    }
  }
}
