/**
 * Threshold calibration for `bench face-accuracy`, as plain functions over scored pairs: FAR/FRR
 * at a threshold, the lowest threshold meeting a FAR target, the equal-error point, Wilson 95 %
 * intervals, and k-fold cross-validation that leaves identities out. A fold's threshold is chosen
 * only on pairs in which none of the fold's people appear; it is then applied to the pairs whose
 * enrolled person is in the fold, so every pair is judged once, by a threshold that never saw a
 * score of that person. The cross-validated threshold is the median of the fold thresholds.
 */

/** One chip photo (of `enrolled`) scored against one camera frame (of `probe`); identities are indices. */
export interface ScoredPair {
  readonly enrolled: number;
  readonly probe: number;
  readonly score: number;
}

export interface Rates {
  readonly far: number;
  readonly frr: number;
  readonly falseAccepts: number;
  readonly falseRejects: number;
  readonly genuinePairs: number;
  readonly impostorPairs: number;
}

/** The rates from the counts (a rate over no pairs is 0). */
function rates(c: Omit<Rates, 'far' | 'frr'>): Rates {
  return { far: c.falseAccepts / Math.max(1, c.impostorPairs), frr: c.falseRejects / Math.max(1, c.genuinePairs), ...c };
}

const genuine = (p: ScoredPair): boolean => p.enrolled === p.probe;

/** A pair is accepted when its score is at or above `t`. */
export function ratesAt(pairs: readonly ScoredPair[], t: number): Rates {
  let falseAccepts = 0;
  let falseRejects = 0;
  let genuinePairs = 0;
  for (const p of pairs) {
    if (genuine(p)) {
      genuinePairs++;
      if (p.score < t) falseRejects++;
    } else if (p.score >= t) falseAccepts++;
  }
  const impostorPairs = pairs.length - genuinePairs;
  return rates({ falseAccepts, falseRejects, genuinePairs, impostorPairs });
}

/** Candidate thresholds: just above each distinct score (accepting exactly the higher ones), ascending. */
function candidates(pairs: readonly ScoredPair[]): number[] {
  const s = [...new Set(pairs.map((p) => p.score))].sort((a, b) => a - b);
  return [s[0] ?? 0, ...s.map((x) => x + 1e-6)];
}

/** The lowest threshold whose FAR is at most `maxFar` (the least FRR that meets the FAR target). */
export function thresholdForFar(pairs: readonly ScoredPair[], maxFar: number): number {
  for (const t of candidates(pairs)) if (ratesAt(pairs, t).far <= maxFar) return t;
  return 1;
}

/** The highest threshold whose FRR is at most `maxFrr` (the least FAR that keeps the FRR target). */
export function thresholdForFrr(pairs: readonly ScoredPair[], maxFrr: number): number {
  const c = candidates(pairs);
  for (let i = c.length - 1; i >= 0; i--) if (ratesAt(pairs, c[i]!).frr <= maxFrr) return c[i]!;
  return c[0] ?? 0;
}

/** The threshold where FAR and FRR are closest, and their mean there. */
export function equalError(pairs: readonly ScoredPair[]): { threshold: number; eer: number } {
  let best = { threshold: 1, eer: 1, gap: Number.POSITIVE_INFINITY };
  for (const t of candidates(pairs)) {
    const r = ratesAt(pairs, t);
    const gap = Math.abs(r.far - r.frr);
    if (gap < best.gap) best = { threshold: t, eer: (r.far + r.frr) / 2, gap };
  }
  return { threshold: best.threshold, eer: best.eer };
}

/** Wilson score interval for `k` events in `n` trials, 95 % (z = 1.96). */
export function wilson(k: number, n: number, z = 1.96): [number, number] {
  if (n === 0) return [0, 1];
  const p = k / n;
  const d = 1 + (z * z) / n;
  const centre = (p + (z * z) / (2 * n)) / d;
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / d;
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/** People 0…n−1 dealt into `k` folds in turn (person i → fold i mod k). */
export function identityFolds(people: number, k: number): number[][] {
  const folds = Array.from({ length: Math.min(k, people) }, () => [] as number[]);
  for (let i = 0; i < people; i++) folds[i % folds.length]!.push(i);
  return folds;
}

export interface FoldResult {
  readonly people: readonly number[];
  readonly threshold: number;
  readonly trainPairs: number;
  readonly test: Rates;
}

export interface CrossValidation {
  readonly folds: readonly FoldResult[];
  /** Median of the fold thresholds, rounded up to 4 decimals (rounding up never adds a false accept). */
  readonly threshold: number;
  /** Every pair judged by its fold's threshold. */
  readonly outOfFold: Rates & { readonly eer: number; readonly farCi95: [number, number]; readonly frrCi95: [number, number] };
}

const sum = (rs: readonly Rates[], k: keyof Rates): number => rs.reduce((a, r) => a + r[k], 0);

function pooled(rs: readonly Rates[]): Rates {
  const falseAccepts = sum(rs, 'falseAccepts');
  const falseRejects = sum(rs, 'falseRejects');
  const genuinePairs = sum(rs, 'genuinePairs');
  const impostorPairs = sum(rs, 'impostorPairs');
  return rates({ falseAccepts, falseRejects, genuinePairs, impostorPairs });
}

/** How a threshold is chosen from pairs (the same rule per fold and on all pairs). */
export type ThresholdRule = (pairs: readonly ScoredPair[]) => number;

export function crossValidate(pairs: readonly ScoredPair[], people: number, k: number, rule: ThresholdRule): CrossValidation {
  const folds: FoldResult[] = [];
  const atEer: Rates[] = [];
  for (const fold of identityFolds(people, k)) {
    const inFold = new Set(fold);
    const train = pairs.filter((p) => !inFold.has(p.enrolled) && !inFold.has(p.probe));
    const test = pairs.filter((p) => inFold.has(p.enrolled));
    const threshold = rule(train);
    folds.push({ people: fold, threshold, trainPairs: train.length, test: ratesAt(test, threshold) });
    atEer.push(ratesAt(test, equalError(train).threshold));
  }
  const sorted = folds.map((f) => f.threshold).sort((a, b) => a - b);
  const median = sorted.length % 2 ? sorted[(sorted.length - 1) / 2]! : (sorted[sorted.length / 2 - 1]! + sorted[sorted.length / 2]!) / 2;
  const all = pooled(folds.map((f) => f.test));
  const eerRates = pooled(atEer);
  return {
    folds,
    threshold: Math.ceil(median * 1e4) / 1e4,
    outOfFold: {
      ...all,
      eer: (eerRates.far + eerRates.frr) / 2,
      farCi95: wilson(all.falseAccepts, all.impostorPairs),
      frrCi95: wilson(all.falseRejects, all.genuinePairs),
    },
  };
}
