/**
 * One face attempt's per-frame step, pure: what the attempt has seen so far and one analysed
 * frame (the pipeline's analysis, the guidance problems and the liveness verdict on it) → what it
 * has seen now and what to do: read the next frame (showing a guidance first, when it changed) or
 * decide. Nothing here reads a clock, a camera or the worker (attempt.ts does); nothing is
 * mutated: the enrolled embedding and the frame's are only read (the caller wipes them).
 */
import type { DecisionPolicy, DecisionReason, FaceOutcome, StageTotals } from '../decision.ts';
import type { GuidanceKind } from '../guidance.ts';
import type { LivenessVerdict } from '../liveness/liveness.ts';
import { cosine, type FaceObservation, type FrameAnalysis, type StageTimings } from '../pipeline/pipeline.ts';

/** Frames without a face after which the last landmarks no longer say where to look. */
export const MAX_PRIOR_AGE_FRAMES = 3;

export interface AttemptState {
  /** When the first face was seen once enrolled (monotonic ms): the decision budget counts from here. */
  readonly firstFaceAt: number | undefined;
  /** Frames compared with the enrolled photo (a face, no guidance problem). */
  readonly scored: number;
  /** Of those, at or above the threshold. */
  readonly matches: number;
  /** Best cosine similarity among the scored frames (−1 when none). */
  readonly best: number;
  /** A frame without any guidance problem was scored. */
  readonly sawGoodFrame: boolean;
  readonly verdict: LivenessVerdict;
  /** The subject's landmarks in the last frame that had them, for following that face. */
  readonly prior: FaceObservation['landmarks'] | undefined;
  /** Frames without a face since `prior`. */
  readonly sincePrior: number;
  /** The guidance last shown (each is shown once until another replaces it). */
  readonly lastGuidance: GuidanceKind | undefined;
  readonly totals: StageTotals;
}

/** One analysed frame, as the step sees it. */
export interface FrameFindings {
  readonly analysis: FrameAnalysis;
  /** Monotonic ms when the analysis came back. */
  readonly at: number;
  /** The enrolled embedding when the frame was sent for analysis (undefined: not enrolled yet). */
  readonly enrolled: Float32Array | undefined;
  /** When the analysis has a face: its guidance problems and the liveness verdict with this frame. */
  readonly face: { readonly problems: readonly GuidanceKind[]; readonly verdict: LivenessVerdict } | undefined;
}

export type AttemptAction =
  | { readonly kind: 'next-frame'; readonly guidance?: GuidanceKind }
  | { readonly kind: 'decide'; readonly outcome: FaceOutcome; readonly reason: DecisionReason };

export interface StepResult {
  readonly state: AttemptState;
  readonly action: AttemptAction;
}

export const emptyTotals = (): StageTotals => ({ detect: 0, landmarks: 0, align: 0, embed: 0, model: 0, total: 0 });

/** Before the first frame; `verdict` is the liveness tracker's before any sample. */
export function startAttempt(verdict: LivenessVerdict): AttemptState {
  return {
    firstFaceAt: undefined,
    scored: 0,
    matches: 0,
    best: -1,
    sawGoodFrame: false,
    verdict,
    prior: undefined,
    sincePrior: 0,
    lastGuidance: undefined,
    totals: emptyTotals(),
  };
}

/** Whether the next frame is worth embedding: enrolled, and the matches needed not all seen yet. */
export function wantsEmbedding(s: AttemptState, enrolled: Float32Array | undefined, p: DecisionPolicy): boolean {
  return enrolled !== undefined && s.matches < p.matchFrames;
}

export function step(s: AttemptState, f: FrameFindings, p: DecisionPolicy): StepResult {
  const totals = addTimings(s.totals, f.analysis.timings);
  const primary = f.analysis.primary;
  if (!primary || !f.face) {
    const sincePrior = s.sincePrior + 1;
    return guide({ ...s, totals, sincePrior, prior: sincePrior > MAX_PRIOR_AGE_FRAMES ? undefined : s.prior }, 'no-face');
  }
  const { problems, verdict } = f.face;
  let next: AttemptState = {
    ...s,
    totals,
    prior: primary.landmarks,
    sincePrior: 0,
    firstFaceAt: f.enrolled ? (s.firstFaceAt ?? f.at) : s.firstFaceAt,
    verdict,
  };
  if (verdict.state === 'spoof') return decide(next, 'spoof', verdict.reason as DecisionReason);
  const embedding = f.analysis.embedding;
  if (embedding && f.enrolled && problems.length === 0) {
    const similarity = cosine(f.enrolled, embedding);
    next = {
      ...next,
      sawGoodFrame: true,
      scored: next.scored + 1,
      best: Math.max(next.best, similarity),
      matches: similarity >= p.threshold ? next.matches + 1 : next.matches,
    };
  }
  if (next.scored >= p.noMatchFrames && next.matches === 0) return decide(next, 'no-match', 'different-person');
  if (next.matches >= p.matchFrames && verdict.state === 'live') return decide(next, 'match', 'matched-live');
  // A cue stays on the screen while it is answered (a turning head is briefly "turned").
  return guide(next, verdict.cue ?? problems[0] ?? 'hold-still');
}

function decide(state: AttemptState, outcome: FaceOutcome, reason: DecisionReason): StepResult {
  return { state, action: { kind: 'decide', outcome, reason } };
}

function guide(state: AttemptState, kind: GuidanceKind): StepResult {
  if (kind === state.lastGuidance) return { state, action: { kind: 'next-frame' } };
  return { state: { ...state, lastGuidance: kind }, action: { kind: 'next-frame', guidance: kind } };
}

function addTimings(t: StageTotals, s: StageTimings): StageTotals {
  return {
    detect: t.detect + s.detect,
    landmarks: t.landmarks + s.landmarks,
    align: t.align + s.align,
    embed: t.embed + s.embed,
    model: t.model + s.model,
    total: t.total + s.total,
  };
}
