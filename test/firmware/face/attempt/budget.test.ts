/**
 * The face attempt's budget, pure: why a frame arriving ends the attempt (the decision budget from
 * the first face, the wait for a face, the frame cap), the worker's deadline for a frame, and the
 * reason when the camera stops. The state is built by hand (step.ts's fields).
 */
import assert from 'node:assert/strict';
import { test } from 'uvu';
import { budgetEnding, frameBudgetMs, sourceEndedReason } from '../../../../firmware/face/attempt/budget.ts';
import { startAttempt, type AttemptState } from '../../../../firmware/face/attempt/step.ts';
import { DEFAULT_DECISION_POLICY, type DecisionPolicy } from '../../../../firmware/face/decision.ts';
import { live, pending } from './support/findings.ts';

const p: DecisionPolicy = { ...DEFAULT_DECISION_POLICY, budgetMs: 4_000, noFaceTimeoutMs: 20_000, frameBudgetMs: 400, maxFrames: 50 };
const fresh = startAttempt(pending());
const faced = (o: Partial<AttemptState> = {}): AttemptState => ({ ...fresh, firstFaceAt: 10_000, ...o });

test('within every budget the attempt goes on', () => {
  assert.equal(budgetEnding(fresh, { startedAt: 0, now: 20_000, frames: 50 }, p), undefined);
  assert.equal(budgetEnding(faced({ sawGoodFrame: true }), { startedAt: 0, now: 14_000, frames: 1 }, p), undefined);
});

test('past the decision budget: poor quality without a good frame, else no liveness while pending, else undecided', () => {
  const after = { startedAt: 0, now: 14_001, frames: 3 };
  assert.equal(budgetEnding(faced(), after, p), 'poor-quality');
  assert.equal(budgetEnding(faced({ sawGoodFrame: true }), after, p), 'no-liveness');
  assert.equal(budgetEnding(faced({ sawGoodFrame: true, verdict: live() }), after, p), 'undecided');
});

test('no face yet: the wait for one ends it, the decision budget does not', () => {
  assert.equal(budgetEnding(fresh, { startedAt: 0, now: 20_001, frames: 3 }, p), 'no-face');
  assert.equal(budgetEnding(faced({ sawGoodFrame: true }), { startedAt: 0, now: 13_000, frames: 3 }, p), undefined, 'a face was seen');
});

test('one frame more than the cap: undecided', () => {
  assert.equal(budgetEnding(fresh, { startedAt: 0, now: 1, frames: 51 }, p), 'undecided');
  assert.equal(budgetEnding(faced({ sawGoodFrame: true }), { startedAt: 0, now: 10_001, frames: 51 }, p), 'undecided');
});

test("a frame's deadline: the per-frame budget, cut to what is left of the decision budget, at least 1 ms", () => {
  assert.equal(frameBudgetMs(fresh, 99_999, p), 400);
  assert.equal(frameBudgetMs(faced(), 10_500, p), 400);
  assert.equal(frameBudgetMs(faced(), 13_900, p), 100);
  assert.equal(frameBudgetMs(faced(), 14_000, p), 1);
  assert.equal(frameBudgetMs(faced(), 15_000, p), 1);
});

test('the camera stopping: no face, or the source ended after one', () => {
  assert.equal(sourceEndedReason(fresh), 'no-face');
  assert.equal(sourceEndedReason(faced()), 'source-ended');
});

test.run();
