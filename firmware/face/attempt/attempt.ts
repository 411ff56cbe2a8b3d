/**
 * One face attempt (one verify()): a thin loop around the pure step (step.ts). The loop owns the
 * clock, the frame source, the budget (budget.ts), the face worker and the liveness tracker: it
 * reads a frame, checks the budget, has the frame analysed (guidance problems and liveness
 * included), wipes the pixels and the frame's embedding, and does what the step says — show a
 * guidance, read on, or decide. The camera frames it has no time for (the worker busy with the one
 * before) it glances at (pipeline/eye-glance.ts: the eyes at the last open-eyed landmarks, a few hundred
 * pixels) and gives liveness in capture order before the next analysed frame, so blinks are timed
 * at camera rate however few frames the worker analyses. Used once: a fresh attempt per verify().
 */
import { CancelledError, TimeoutError } from '../../core/errors.ts';
import type { AuditLog, Logger } from '../../core/logger.ts';
import type { Clock } from '../../ports/clock.ts';
import type { Frame, FrameSource } from '../../ports/frame-source.ts';
import type { DecisionPolicy, DecisionReason, FaceDecision, FaceOutcome } from '../decision.ts';
import { assessFrame, type GuidanceKind, type GuidancePolicy, type GuidanceSink } from '../guidance.ts';
import { asChallengeCue } from '../liveness/challenge.ts';
import type { EyeGlance, LivenessTracker } from '../liveness/liveness.ts';
import { glanceEyes } from '../pipeline/eye-glance.ts';
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

/** Glances kept for the next analysed frame (a camera at 30 frames/s and a worker at 2/s: 15). */
const MAX_GLANCES = 64;

export class FaceAttempt {
  readonly #d: AttemptDeps;
  #state: AttemptState;
  #frames = 0;
  /** Skipped frames glanced at since the last analysed one, in capture order. */
  #glances: EyeGlance[] = [];

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
      for await (const frame of source.frames(stop.signal, { skipped: (f) => this.#glance(f) })) {
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

  /** A frame skipped while the worker was busy: its eyes where liveness says to look, if the last frame analysed had the face. */
  #glance(frame: Frame): void {
    const prior = this.#d.liveness.glancePoints();
    if (!prior || !this.#state.prior || this.#state.sincePrior > 0 || this.#glances.length >= MAX_GLANCES) return;
    const raster = { width: frame.width, height: frame.height, channels: frame.format === 'gray8' ? 1 : 3, data: frame.data } as const;
    const eyeBrightness = glanceEyes(raster, prior);
    if (eyeBrightness !== undefined) this.#glances.push({ at: frame.capturedAt, eyeBrightness });
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
    // The glances before this frame come before it (those after it wait for the next one).
    const before = this.#glances.filter((g) => g.at < frame.capturedAt);
    this.#glances = this.#glances.filter((g) => g.at > frame.capturedAt);
    if (!primary) return { analysis, at, enrolled, face: undefined };
    for (const g of before) liveness.glance(g);
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
