/**
 * A face attempt's time and frame budget, pure: checked as each frame arrives, before it is
 * analysed. The decision budget counts from the first face seen once enrolled; until then the
 * attempt waits at most `noFaceTimeoutMs` for a face; it reads at most `maxFrames` frames.
 */
import type { DecisionPolicy, DecisionReason } from '../decision.ts';
import type { AttemptState } from './step.ts';

export interface BudgetClock {
  /** Monotonic ms when the attempt started. */
  readonly startedAt: number;
  /** Monotonic ms now. */
  readonly now: number;
  /** Frames read so far, this one included. */
  readonly frames: number;
}

/** Why the attempt times out on this frame, or undefined while it may go on. */
export function budgetEnding(s: AttemptState, c: BudgetClock, p: DecisionPolicy): DecisionReason | undefined {
  if (s.firstFaceAt !== undefined && c.now - s.firstFaceAt > p.budgetMs) {
    if (!s.sawGoodFrame) return 'poor-quality';
    return s.verdict.state === 'pending' ? 'no-liveness' : 'undecided';
  }
  if (s.firstFaceAt === undefined && c.now - c.startedAt > p.noFaceTimeoutMs) return 'no-face';
  if (c.frames > p.maxFrames) return 'undecided';
  return undefined;
}

/** The worker's deadline for this frame, ms: the per-frame budget, cut to what is left of the decision budget (≥ 1). */
export function frameBudgetMs(s: AttemptState, now: number, p: DecisionPolicy): number {
  const remaining = s.firstFaceAt === undefined ? p.frameBudgetMs : Math.min(p.frameBudgetMs, p.budgetMs - (now - s.firstFaceAt));
  return Math.max(1, remaining);
}

/** Why the attempt ends when the camera stops giving frames. */
export function sourceEndedReason(s: AttemptState): DecisionReason {
  return s.firstFaceAt === undefined ? 'no-face' : 'source-ended';
}
