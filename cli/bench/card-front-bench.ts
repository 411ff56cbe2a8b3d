/**
 * The card-front OCR bench: N random, consistent card fronts through the simulated scanner
 * scene, each read once by the real CardFrontReader. Counts exact reads, wrong reads (a number
 * that differs from the truth: each would have spent a card try) and unreadable fronts by
 * reason, and times each read.
 */
import { CardFrontReader } from '../../firmware/card-front/card-front-reader.ts';
import { UnreadableCardFrontError } from '../../firmware/card-front/errors.ts';
import type { Clock } from '../../firmware/ports/clock.ts';
import { seededRandom } from '../../hardware-sim/camera/image.ts';
import { rasteriseCard } from '../../hardware-sim/card-front/card-raster.ts';
import { randomCard } from './random-card-front.ts';
import { EASY_VARIATION, HARD_VARIATION, NORMAL_VARIATION, scanScene } from '../../hardware-sim/card-front/scan-scene.ts';

export interface CardFrontBenchOptions {
  readonly count: number;
  readonly seed: number;
  readonly variation: 'normal' | 'easy' | 'hard';
  readonly clock: Clock;
  readonly signal?: AbortSignal;
}

export interface WrongRead {
  readonly truth: string;
  readonly read: string;
  readonly confidence: number;
  readonly minMargin: number;
}

export interface CardFrontBenchResult {
  readonly count: number;
  readonly seed: number;
  readonly variation: string;
  readonly exact: number;
  readonly wrong: number;
  readonly unreadable: number;
  readonly exactRate: number;
  readonly unreadableReasons: Record<string, number>;
  readonly wrongReads: readonly WrongRead[];
  /** The first 20 refusals (generated data, no real card): what to improve next. */
  readonly unreadableSamples: readonly { readonly truth: string; readonly index: number; readonly detail: string }[];
  readonly templatesMs: number;
  readonly readMs: { readonly p50: number; readonly p95: number; readonly max: number; readonly mean: number };
  readonly generateMsMean: number;
  /** Lowest glyph score and margin among exact reads (how close the thresholds are). */
  readonly weakestExact: { readonly confidence: number; readonly minMargin: number };
}

const pct = (xs: readonly number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[Math.min(s.length - 1, Math.floor(p * s.length))] as number) : 0;
};

export async function runCardFrontBench(o: CardFrontBenchOptions): Promise<CardFrontBenchResult> {
  const t0 = performance.now();
  const reader = await CardFrontReader.create({ clock: o.clock });
  const templatesMs = performance.now() - t0;
  const rand = seededRandom(o.seed);
  const variation = { easy: EASY_VARIATION, normal: NORMAL_VARIATION, hard: HARD_VARIATION }[o.variation];
  const times: number[] = [];
  let genMs = 0;
  let exact = 0;
  const wrongReads: WrongRead[] = [];
  const reasons: Record<string, number> = {};
  const samples: { truth: string; index: number; detail: string }[] = [];
  let weakest = { confidence: Infinity, minMargin: Infinity };
  for (let i = 0; i < o.count; i++) {
    if (o.signal?.aborted) break;
    const g0 = performance.now();
    const card = randomCard(rand);
    const image = await scanScene(await rasteriseCard(card.print, card.style), rand, variation);
    const r0 = performance.now();
    genMs += r0 - g0;
    try {
      const r = reader.read(image);
      times.push(performance.now() - r0);
      const read = Buffer.from(r.verificationNumberB).toString('latin1'); // generated cards: a bench may compare as text
      r.verificationNumberB.fill(0);
      if (read === card.truth) {
        exact++;
        weakest = { confidence: Math.min(weakest.confidence, r.confidence), minMargin: Math.min(weakest.minMargin, r.minMargin) };
      } else wrongReads.push({ truth: card.truth, read, confidence: r.confidence, minMargin: r.minMargin });
    } catch (err) {
      times.push(performance.now() - r0);
      if (!(err instanceof UnreadableCardFrontError)) throw err;
      reasons[err.reason] = (reasons[err.reason] ?? 0) + 1;
      if (samples.length < 20) samples.push({ truth: card.truth, index: i, detail: err.message });
    } finally {
      image.data.fill(0);
    }
  }
  const n = times.length;
  const round = (x: number): number => Math.round(x * 100) / 100;
  return {
    count: n,
    seed: o.seed,
    variation: o.variation,
    exact,
    wrong: wrongReads.length,
    unreadable: n - exact - wrongReads.length,
    exactRate: n ? exact / n : 0,
    unreadableReasons: reasons,
    wrongReads,
    unreadableSamples: samples,
    templatesMs: round(templatesMs),
    readMs: {
      p50: round(pct(times, 0.5)),
      p95: round(pct(times, 0.95)),
      max: round(Math.max(0, ...times)),
      mean: round(times.reduce((a, b) => a + b, 0) / Math.max(1, n)),
    },
    generateMsMean: round(genMs / Math.max(1, n)),
    weakestExact: { confidence: round(weakest.confidence), minMargin: round(weakest.minMargin) },
  };
}
