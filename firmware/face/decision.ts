/**
 * What verify() answers, and the policy it decides with. The cosine threshold is the
 * cross-validated one (config/face-threshold.ts says where it came from); `stageTimings` are per-stage
 * totals over the frames analysed.
 */
import type { LivenessVerdict } from './liveness/liveness.ts';
import { CALIBRATED_THRESHOLD } from '../config/face-threshold.ts';
import type { StageTimings } from './pipeline/pipeline.ts';

export type FaceOutcome = 'match' | 'no-match' | 'spoof' | 'timeout';

export type DecisionReason =
  | 'matched-live'
  | 'different-person'
  | 'planar-motion'
  | 'frozen-image'
  | 'unprompted'
  | 'early-response'
  | 'wrong-response'
  | 'no-face'
  | 'poor-quality'
  | 'no-liveness'
  | 'undecided'
  | 'source-ended';

/** Per-stage milliseconds summed over the frames of one decision (the pipeline's stages, no decode). */
export type StageTotals = Required<Omit<StageTimings, 'decode'>>;

export interface FaceDecision {
  readonly outcome: FaceOutcome;
  readonly reason: DecisionReason;
  /** Best cosine similarity to the enrolled photo among the frames scored (−1 when none). */
  readonly score: number;
  readonly threshold: number;
  readonly liveness: LivenessVerdict | undefined;
  readonly frames: number;
  readonly scoredFrames: number;
  /** Milliseconds from the first face to the decision (undefined when no face was seen). */
  readonly elapsedMs: number | undefined;
  readonly budgetMs: number;
  readonly stageTimings: StageTotals;
}

export interface DecisionPolicy {
  /** Cosine similarity at or above which a frame matches (dlib embeddings, 5-point aligned). */
  readonly threshold: number;
  /** Frames at or above threshold needed for a match. */
  readonly matchFrames: number;
  /** Good frames all below threshold that make a no-match. */
  readonly noMatchFrames: number;
  /** Budget from the first face, ms. */
  readonly budgetMs: number;
  /** Give up when no face has appeared for this long, ms. */
  readonly noFaceTimeoutMs: number;
  /** Per-frame worker deadline, ms. */
  readonly frameBudgetMs: number;
  /** Hard cap on frames read in one verify(). */
  readonly maxFrames: number;
}

export const DEFAULT_DECISION_POLICY: DecisionPolicy = {
  threshold: CALIBRATED_THRESHOLD,
  matchFrames: 2,
  noMatchFrames: 5,
  // The five-cue challenge (liveness/challenge.ts) with a person's reactions, a late answer re-cued,
  // takes ≈ 11–13 s for the simulated patients (docs/benchmarks/face.md, "Liveness against replays").
  budgetMs: 16_000,
  noFaceTimeoutMs: 20_000,
  frameBudgetMs: 400,
  maxFrames: 2000,
};
