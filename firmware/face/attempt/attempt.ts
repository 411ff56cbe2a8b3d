/**
 * One face attempt (one verify()): a thin loop around the pure step (step.ts). The loop owns the
 * clock, the frame source, the budget (budget.ts), the face worker and the liveness tracker: it
 * reads a frame, checks the budget, has the frame analysed (guidance problems and liveness
 * included), wipes the pixels and the frame's embedding, and does what the step says — show a
 * guidance, read on, or decide. Used once: a fresh attempt per verify().
 */
import { CancelledError, TimeoutError } from '../../core/errors.ts';
import type { AuditLog, Logger } from '../../core/logger.ts';
import type { Clock } from '../../ports/clock.ts';
import type { Frame, FrameSource } from '../../ports/frame-source.ts';
import type { DecisionPolicy, DecisionReason, FaceDecision, FaceOutcome } from '../decision.ts';
import { assessFrame, type GuidanceKind, type GuidancePolicy, type GuidanceSink } from '../guidance.ts';
import { asChallengeCue } from '../liveness/challenge.ts';
import type { LivenessTracker } from '../liveness/liveness.ts';
import type { AnalyseOptions, FrameAnalysis } from '../pipeline/pipeline.ts';
import { budgetEnding, frameBudgetMs, sourceEndedReason } from './budget.ts';
import { startAttempt, step, wantsEmbedding, type AttemptState, type FrameFindings } from './step.ts';

/** What an attempt needs of the face worker: one frame analysed at a time (its pixels are given away). */
export interface FrameAnalyser {
  analyse(frame: Frame, opts: Omit<AnalyseOptions, 'deadline'> & { budgetMs: number; signal?: AbortSignal }): Promise<FrameAnalysis>;
}

export interface AttemptDeps {
  readonly analyser: FrameAnalyser;
  readonly clock: Clock;
  readonly log: Logger;
  readonly audit?: AuditLog | undefined;
  readonly policy: DecisionPolicy;
  readonly guidance: GuidancePolicy;
  /** A fresh tracker (its challenge drawn) for this attempt. */
  readonly liveness: LivenessTracker;
  /** The enrolled embedding now (undefined while the chip photo is still being enrolled). */
  readonly enrolled: () => Float32Array | undefined;
  /** Shows guidance; a cue's window opens when the screen reports it drawn (guidance.ts GuidanceSink). */
  readonly onGuidance?: GuidanceSink | undefined;
}

export class FaceAttempt {
  readonly #d: AttemptDeps;
  #state: AttemptState;
  #frames = 0;

  constructor(deps: AttemptDeps) {
    this.#d = deps;
    this.#state = startAttempt(deps.liveness.verdict());
  }

  /** Reads `source` until a decision; CancelledError when `signal` fires. */
  async run(source: FrameSource, signal?: AbortSignal): Promise<FaceDecision> {
    const { clock, policy: p } = this.#d;
    const stop = new AbortController();
    const onAbort = (): void => stop.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    const startedAt = clock.monotonic();
    try {
      for await (const frame of source.frames(stop.signal)) {
        this.#frames++;
        const now = clock.monotonic();
        const ending = budgetEnding(this.#state, { startedAt, now, frames: this.#frames }, p);
        if (ending) {
          wipeFrame(frame);
          return this.#decide('timeout', ending);
        }
        const findings = await this.#analyse(frame, now, stop.signal);
        if (!findings) continue; // this frame was too slow; the budget check decides on the next
        const { state, action } = step(this.#state, findings, p);
        findings.analysis.embedding?.fill(0);
        this.#state = state;
        if (action.kind === 'decide') return this.#decide(action.outcome, action.reason);
        if (action.guidance) this.#guide(action.guidance, frame.sequence);
      }
      if (signal?.aborted) throw new CancelledError('face verification', { cause: signal.reason });
      return this.#decide('timeout', sourceEndedReason(this.#state));
    } finally {
      signal?.removeEventListener('abort', onAbort);
      stop.abort();
    }
  }

  /** Shows `kind`; a liveness cue's window waits for the screen's report that it is drawn, when one comes. */
  #guide(kind: GuidanceKind, sequence: number): void {
    const { liveness, log } = this.#d;
    const drawing = this.#d.onGuidance?.({ kind, sequence });
    if (!drawing || !asChallengeCue(kind)) return;
    const drawn = liveness.awaitDrawn();
    void drawing.then(drawn, (err: unknown) => {
      // Never drawn: the window stays closed and the patient, who was not asked, cannot answer.
      log.warn('liveness cue not drawn', { kind, err });
    });
  }

  /** The frame analysed, its guidance assessed and fed to liveness; undefined when the worker ran out of time. */
  async #analyse(frame: Frame, now: number, signal: AbortSignal): Promise<FrameFindings | undefined> {
    const { analyser, clock, policy: p, guidance, liveness } = this.#d;
    const enrolled = this.#d.enrolled();
    let analysis;
    try {
      analysis = await analyser.analyse(frame, {
        embed: wantsEmbedding(this.#state, enrolled, p),
        budgetMs: frameBudgetMs(this.#state, now, p),
        signal,
        follow: true,
        prior: this.#state.prior,
      });
    } catch (err) {
      if (err instanceof TimeoutError) return undefined;
      throw err;
    } finally {
      wipeFrame(frame);
    }
    const at = clock.monotonic();
    const primary = analysis.primary;
    if (!primary) return { analysis, at, enrolled, face: undefined };
    const problems = assessFrame(analysis, guidance);
    const verdict = liveness.add({ at: frame.capturedAt, face: primary, usable: problems.length === 0 });
    return { analysis, at, enrolled, face: { problems, verdict } };
  }

  #decide(outcome: FaceOutcome, reason: DecisionReason): FaceDecision {
    const { clock, log, policy: p } = this.#d;
    const s = this.#state;
    const frames = this.#frames;
    const elapsedMs = s.firstFaceAt === undefined ? undefined : clock.monotonic() - s.firstFaceAt;
    const d: FaceDecision = {
      outcome,
      reason,
      score: s.best,
      threshold: p.threshold,
      liveness: s.firstFaceAt === undefined ? undefined : s.verdict,
      frames,
      scoredFrames: s.scored,
      elapsedMs,
      budgetMs: p.budgetMs,
      stageTimings: s.totals,
    };
    // No score: a genuine patient's similarity is theirs (the outcome says what it decided).
    this.#d.audit?.record('face.decision', { outcome, reason, threshold: p.threshold, frames, elapsedMs });
    log.info('face decision', { outcome, reason, frames, scored: s.scored, elapsedMs });
    return d;
  }
}

function wipeFrame(frame: Frame): void {
  if (frame.data.byteLength > 0) frame.data.fill(0);
}
