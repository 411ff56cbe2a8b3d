/**
 * Threshold calibration on made-up scores whose right answers are known: rates, the lowest
 * threshold meeting a FAR target, Wilson intervals, and cross-validation that really leaves the
 * fold's people out (a person whose impostor scores are unusually high is judged by a threshold
 * that never saw them, so out of fold they are false accepts while in sample they are not).
 */
import assert from 'node:assert/strict';
import { test } from 'uvu';
import {
  crossValidate,
  equalError,
  identityFolds,
  ratesAt,
  thresholdForFar,
  thresholdForFrr,
  wilson,
  type ScoredPair,
} from '../../../../cli/commands/bench/calibration.ts';

/**
 * 6 people × 6 people; genuine 0.95–0.99, impostors 0.50–0.70, except impostor pairs in which
 * person `outlier` is the enrolled one (or the probe): 0.9.
 */
function pairs(outlier: { enrolled?: number; probe?: number } = { enrolled: 0 }): ScoredPair[] {
  const out: ScoredPair[] = [];
  for (let e = 0; e < 6; e++)
    for (let p = 0; p < 6; p++)
      for (let k = 0; k < 4; k++) {
        const high = e === outlier.enrolled || p === outlier.probe;
        const score = e === p ? 0.95 + k * 0.01 : high ? 0.9 : 0.5 + ((e * 7 + p * 3 + k) % 20) / 100;
        out.push({ enrolled: e, probe: p, score });
      }
  return out;
}

test('rates at a threshold count accepts at or above it', () => {
  const r = ratesAt(
    [
      { enrolled: 0, probe: 0, score: 0.9 },
      { enrolled: 0, probe: 0, score: 0.8 },
      { enrolled: 0, probe: 1, score: 0.9 },
      { enrolled: 0, probe: 1, score: 0.2 },
    ],
    0.9,
  );
  assert.deepEqual(r, { far: 0.5, frr: 0.5, falseAccepts: 1, falseRejects: 1, genuinePairs: 2, impostorPairs: 2 });
});

test('the lowest threshold meeting the FAR target, and the equal-error point', () => {
  const all = pairs();
  const t = thresholdForFar(all, 0);
  assert.ok(t > 0.9 && t < 0.95, `threshold ${t}`);
  assert.equal(ratesAt(all, t).falseAccepts, 0);
  assert.equal(ratesAt(all, t).falseRejects, 0);
  assert.equal(equalError(all).eer, 0);
});

test('the highest threshold keeping the FRR target sits just above the lowest genuine scores it may lose', () => {
  const all = pairs({});
  // genuine scores 0.95, 0.96, 0.97, 0.98 per person (24 of each); FRR ≤ 25 % may lose the 0.95s
  const t = thresholdForFrr(all, 0.25);
  assert.ok(t > 0.95 && t <= 0.96 + 1e-6, `threshold ${t}`);
  assert.equal(ratesAt(all, t).falseRejects, 6);
  assert.equal(ratesAt(all, thresholdForFrr(all, 0)).falseRejects, 0);
});

test('Wilson intervals match the textbook values', () => {
  const [lo0, hi0] = wilson(0, 100);
  assert.equal(lo0, 0);
  assert.ok(Math.abs(hi0 - 0.037) < 0.001, `${hi0}`);
  const [lo, hi] = wilson(5, 100);
  assert.ok(Math.abs(lo - 0.0215) < 0.0005 && Math.abs(hi - 0.1118) < 0.0005, `${lo} ${hi}`);
});

test('folds deal people in turn', () => {
  assert.deepEqual(identityFolds(7, 3), [
    [0, 3, 6],
    [1, 4],
    [2, 5],
  ]);
  assert.deepEqual(identityFolds(2, 5), [[0], [1]]);
});

test('cross-validation leaves the fold out: an outlier person is a false accept only out of fold', () => {
  const all = pairs();
  assert.equal(ratesAt(all, thresholdForFar(all, 0)).falseAccepts, 0, 'in sample the threshold sits above person 0');
  const cv = crossValidate(all, 6, 3, (t) => thresholdForFar(t, 0));
  const withPerson0 = cv.folds.find((f) => f.people.includes(0))!;
  assert.ok(withPerson0.threshold < 0.9, `fold threshold ${withPerson0.threshold} saw person 0`);
  assert.equal(withPerson0.test.falseAccepts, 5 * 4, 'all of person 0’s impostor pairs accepted');
  assert.equal(cv.outOfFold.falseAccepts, 20);
  assert.equal(cv.outOfFold.genuinePairs + cv.outOfFold.impostorPairs, all.length, 'every pair judged once');
  assert.ok(cv.outOfFold.farCi95[0] > 0);
  // the median of three fold thresholds: two folds never saw person 0 (≈ 0.9), the third did
  const others = cv.folds.filter((f) => f !== withPerson0).map((f) => f.threshold);
  assert.ok(cv.threshold >= Math.min(...others) && cv.threshold <= Math.max(...others) + 1e-4);
});

test("a fold's threshold never saw its people as probes either", () => {
  const cv = crossValidate(pairs({ probe: 5 }), 6, 3, (t) => thresholdForFar(t, 0));
  const withPerson5 = cv.folds.find((f) => f.people.includes(5))!;
  assert.ok(withPerson5.threshold < 0.9, `fold threshold ${withPerson5.threshold} saw person 5 as a probe`);
  for (const f of cv.folds) if (f !== withPerson5) assert.ok(f.threshold > 0.9);
});

test.run();
