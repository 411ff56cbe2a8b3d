/**
 * The face attempt's pure per-frame step, transition by transition, without ONNX or a worker:
 * analyses are written by hand (a face or none, an embedding at a chosen similarity to the
 * enrolled one), the liveness verdict is given. Each test says what one frame changes and what the
 * attempt does next; the inputs are frozen, so a step that mutated them would throw.
 */
import assert from 'node:assert/strict';
import { test } from 'uvu';
import { DEFAULT_DECISION_POLICY, type DecisionPolicy } from '../../../../firmware/face/decision.ts';
import {
  MAX_PRIOR_AGE_FRAMES,
  startAttempt,
  step,
  wantsEmbedding,
  type AttemptState,
  type FrameFindings,
} from '../../../../firmware/face/attempt/step.ts';
import type { GuidanceKind } from '../../../../firmware/face/guidance.ts';
import type { LivenessVerdict } from '../../../../firmware/face/liveness/liveness.ts';
import { cosine } from '../../../../firmware/face/pipeline/pipeline.ts';
import { embeddingAt, faceAt, live, pending, spoof, timings } from './support/findings.ts';

const p: DecisionPolicy = { ...DEFAULT_DECISION_POLICY, threshold: 0.6, matchFrames: 2, noMatchFrames: 3 };
const enrolled = embeddingAt(1);

function frame(o: {
  face?: boolean;
  similarity?: number;
  problems?: GuidanceKind[];
  verdict?: LivenessVerdict;
  enrolled?: Float32Array | undefined;
  at?: number;
}): FrameFindings {
  const hasFace = o.face ?? true;
  const embedding = hasFace && o.similarity !== undefined ? embeddingAt(o.similarity) : undefined;
  return Object.freeze({
    analysis: Object.freeze({
      width: 640,
      height: 480,
      faces: hasFace ? [faceAt(0).box] : [],
      ...(hasFace ? { primary: faceAt(0) } : {}),
      ...(embedding ? { embedding } : {}),
      timings: timings(1),
    }),
    at: o.at ?? 1_000,
    enrolled: 'enrolled' in o ? o.enrolled : enrolled,
    face: hasFace ? Object.freeze({ problems: Object.freeze(o.problems ?? []), verdict: o.verdict ?? pending() }) : undefined,
  });
}

const start = (): AttemptState => Object.freeze(startAttempt(pending()));

test('the fixture: an embedding at similarity s to the enrolled one has cosine s', () => {
  for (const s of [1, 0.75, 0.6, 0.2, -0.3]) assert.ok(Math.abs(cosine(enrolled, embeddingAt(s)) - s) < 1e-6);
});

test('no face: guidance no-face once, not again while it lasts; the stage times add up', () => {
  const a = step(start(), frame({ face: false }), p);
  assert.deepEqual(a.action, { kind: 'next-frame', guidance: 'no-face' });
  assert.equal(a.state.lastGuidance, 'no-face');
  assert.equal(a.state.sincePrior, 1);
  assert.equal(a.state.firstFaceAt, undefined);
  const b = step(Object.freeze(a.state), frame({ face: false }), p);
  assert.deepEqual(b.action, { kind: 'next-frame' });
  assert.equal(b.state.totals.total, 2 * timings(1).total);
  assert.equal(b.state.totals.model, 2 * timings(1).model);
});

test('the last landmarks are followed for a few frames without a face, then forgotten', () => {
  let s = step(start(), frame({}), p).state;
  assert.deepEqual(s.prior, faceAt(0).landmarks);
  for (let i = 1; i <= MAX_PRIOR_AGE_FRAMES; i++) {
    s = step(Object.freeze(s), frame({ face: false }), p).state;
    assert.deepEqual(s.prior, faceAt(0).landmarks, `kept after ${i} frame(s) without a face`);
  }
  s = step(Object.freeze(s), frame({ face: false }), p).state;
  assert.equal(s.prior, undefined);
  s = step(Object.freeze(s), frame({}), p).state;
  assert.equal(s.sincePrior, 0);
  assert.deepEqual(s.prior, faceAt(0).landmarks);
});

test('a face before enrolment: no budget start, no score; the cue shows, else the first problem, else hold still', () => {
  const cued = step(start(), frame({ enrolled: undefined, verdict: pending('blink-once'), problems: ['too-dark'] }), p);
  assert.equal(cued.state.firstFaceAt, undefined);
  assert.equal(cued.state.scored, 0);
  assert.deepEqual(cued.action, { kind: 'next-frame', guidance: 'blink-once' });
  const problem = step(start(), frame({ enrolled: undefined, problems: ['too-dark', 'blurred'] }), p);
  assert.deepEqual(problem.action, { kind: 'next-frame', guidance: 'too-dark' });
  const still = step(start(), frame({ enrolled: undefined }), p);
  assert.deepEqual(still.action, { kind: 'next-frame', guidance: 'hold-still' });
});

test('the first face once enrolled starts the budget, at the time the analysis came back; later faces do not move it', () => {
  const a = step(start(), frame({ at: 1_234 }), p);
  assert.equal(a.state.firstFaceAt, 1_234);
  const b = step(Object.freeze(a.state), frame({ at: 1_300 }), p);
  assert.equal(b.state.firstFaceAt, 1_234);
});

test('a good frame is scored: best similarity, a match at or above the threshold', () => {
  const a = step(start(), frame({ similarity: 0.6 }), p);
  assert.equal(a.state.scored, 1);
  assert.equal(a.state.matches, 1, 'at the threshold is a match');
  assert.equal(a.state.sawGoodFrame, true);
  assert.ok(Math.abs(a.state.best - 0.6) < 1e-6);
  const b = step(Object.freeze(a.state), frame({ similarity: 0.3 }), p);
  assert.equal(b.state.scored, 2);
  assert.equal(b.state.matches, 1);
  assert.ok(Math.abs(b.state.best - 0.6) < 1e-6, 'the best stays');
});

test('a frame with a guidance problem, or analysed before enrolment, is not scored', () => {
  const poor = step(start(), frame({ similarity: 0.9, problems: ['blurred'] }), p);
  assert.equal(poor.state.scored, 0);
  assert.equal(poor.state.sawGoodFrame, false);
  assert.equal(poor.state.best, -1);
  assert.deepEqual(poor.action, { kind: 'next-frame', guidance: 'blurred' });
  const early = step(start(), frame({ similarity: 0.9, enrolled: undefined }), p);
  assert.equal(early.state.scored, 0);
});

test('enough good frames all below the threshold: no-match', () => {
  let s = start();
  for (let i = 1; i < p.noMatchFrames; i++) {
    const r = step(s, frame({ similarity: 0.2 }), p);
    assert.equal(r.action.kind, 'next-frame');
    s = Object.freeze(r.state);
  }
  const last = step(s, frame({ similarity: 0.2 }), p);
  assert.deepEqual(last.action, { kind: 'decide', outcome: 'no-match', reason: 'different-person' });
  assert.equal(last.state.scored, p.noMatchFrames);
});

test('one match among them holds the no-match off', () => {
  let s = step(start(), frame({ similarity: 0.7 }), p).state;
  for (let i = 0; i < p.noMatchFrames + 2; i++) {
    const r = step(Object.freeze(s), frame({ similarity: 0.2 }), p);
    assert.equal(r.action.kind, 'next-frame');
    s = r.state;
  }
});

test('matches enough are a match only once liveness says live; until then the cue shows', () => {
  let s = step(start(), frame({ similarity: 0.8, verdict: pending('turn-left') }), p).state;
  const waiting = step(Object.freeze(s), frame({ similarity: 0.8, verdict: pending('turn-left') }), p);
  assert.equal(waiting.state.matches, 2);
  assert.deepEqual(waiting.action, { kind: 'next-frame' }, 'the cue is already shown');
  s = waiting.state;
  assert.equal(wantsEmbedding(s, enrolled, p), false, 'no more embeddings once the matches are in');
  const done = step(Object.freeze(s), frame({ verdict: live() }), p);
  assert.deepEqual(done.action, { kind: 'decide', outcome: 'match', reason: 'matched-live' });
  assert.equal(done.state.verdict.state, 'live');
});

test('a spoof verdict decides at once, before the frame is scored', () => {
  const r = step(start(), frame({ similarity: 0.9, verdict: spoof('planar-motion') }), p);
  assert.deepEqual(r.action, { kind: 'decide', outcome: 'spoof', reason: 'planar-motion' });
  assert.equal(r.state.scored, 0);
  assert.equal(r.state.verdict.state, 'spoof');
});

test('an embedding is wanted once enrolled and while matches are missing', () => {
  assert.equal(wantsEmbedding(start(), undefined, p), false);
  assert.equal(wantsEmbedding(start(), enrolled, p), true);
});

test('the step reads the embeddings and never changes them', () => {
  const f = frame({ similarity: 0.8 });
  const before = Array.from(f.analysis.embedding!);
  step(start(), f, p);
  assert.deepEqual(Array.from(f.analysis.embedding!), before);
  assert.deepEqual(Array.from(enrolled), Array.from(embeddingAt(1)));
});

test.run();
