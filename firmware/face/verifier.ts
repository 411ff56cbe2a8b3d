/**
 * FaceVerifier: the visit's one handle on face authentication. `enrol()` takes the chip photo
 * (JPEG 2000), `verify()` reads frames from a FrameSource until it can decide — match (same
 * person and alive), no-match, spoof, or timeout (budget counted from the first face) — while
 * reporting guidance, including the active liveness challenge ("please blink");
 * it may start while the photo is still being enrolled (`awaitEnrolment`); `wipe()` zeroes the
 * enrolled embedding and every frame it still holds. Inference happens in the face worker; this loop only schedules, scores and decides.
 */
import { CancelledError, throwIfAborted, TimeoutError } from '../core/errors.ts';
import type { AuditLog, Logger } from '../core/logger.ts';
import type { Clock } from '../ports/clock.ts';
import type { Frame, FrameSource } from '../ports/frame-source.ts';
import {
  DEFAULT_DECISION_POLICY,
  type DecisionPolicy,
  type DecisionReason,
  type FaceDecision,
  type FaceOutcome,
  type StageTotals,
} from './decision.ts';
import { NoFaceInPhotoError, NotEnrolledError } from './errors.ts';
import { assessFrame, DEFAULT_GUIDANCE_POLICY, type GuidanceEvent, type GuidanceKind, type GuidancePolicy } from './guidance.ts';
import { randomInt } from 'node:crypto';
import { DEFAULT_CHALLENGE_POLICY, drawChallenge, type ChallengePolicy, type RandomInt } from './liveness/challenge.ts';
import { DEFAULT_LIVENESS_POLICY, LivenessTracker, type LivenessPolicy } from './liveness/liveness.ts';
import type { ModelSet } from './pipeline/model-set.ts';
import { cosine, type AnalyseOptions, type FaceObservation, type FrameAnalysis, type StageTimings } from './pipeline/pipeline.ts';
import { FaceWorkerClient } from './worker/face-worker-client.ts';

export interface FaceVerifierOptions {
  readonly models: ModelSet;
  /** The face worker thread's entry (cli/face-worker/entry.ts). */
  readonly worker: URL;
  readonly clock: Clock;
  readonly log: Logger;
  readonly audit?: AuditLog;
  readonly decision?: Partial<DecisionPolicy>;
  readonly liveness?: LivenessPolicy;
  readonly challenge?: ChallengePolicy;
  /** Draws the liveness challenges (default crypto.randomInt). */
  readonly random?: RandomInt;
  readonly guidance?: GuidancePolicy;
  /** The chip photo's enrolment (decode and the three models), ms; default 5000. */
  readonly enrolBudgetMs?: number;
}

/**
 * What the verifier needs of the face worker (FaceWorkerClient): one frame analysed at a time,
 * the chip photo decoded and embedded. Pixel buffers passed in are given away (zeroed or moved).
 */
export interface FaceAnalyser {
  analyse(frame: Frame, opts: Omit<AnalyseOptions, 'deadline'> & { budgetMs: number; signal?: AbortSignal }): Promise<FrameAnalysis>;
  enrol(photo: Uint8Array, budgetMs: number): Promise<FrameAnalysis>;
  close(): Promise<void>;
}

export interface VerifyOptions {
  /** Decision budget from the first face, ms (default 3000). */
  readonly budgetMs?: number;
  readonly signal?: AbortSignal;
  readonly onGuidance?: (event: GuidanceEvent) => void;
  /**
   * Start before the chip photo is enrolled (it is being read from the card meanwhile): guidance
   * and the liveness challenge run at once, frames are matched from the enrolment on, and the
   * budget counts from the first face seen once enrolled.
   */
  readonly awaitEnrolment?: boolean;
}

export interface EnrolResult {
  readonly decodeMs: number;
  readonly totalMs: number;
  /** Guidance problems seen in the photo itself (informational). */
  readonly problems: GuidanceKind[];
}

export interface FaceVerifier {
  enrol(jp2: Uint8Array): Promise<EnrolResult>;
  verify(source: FrameSource, options?: VerifyOptions): Promise<FaceDecision>;
  /** Zeroes the enrolled embedding; verify() then needs a new enrol(). Idempotent. */
  wipe(): void;
  /** Stops the worker. */
  close(): Promise<void>;
}

export async function createFaceVerifier(opts: FaceVerifierOptions): Promise<FaceVerifier> {
  return faceVerifierOn(await FaceWorkerClient.start(opts.models, opts.clock, opts.worker), opts);
}

/** A verifier on an analyser already running (the worker, or the pipeline in process for an offline bench). */
export function faceVerifierOn(analyser: FaceAnalyser, opts: Omit<FaceVerifierOptions, 'models' | 'worker'>): FaceVerifier {
  return new Verifier(analyser, opts);
}

/** Frames without a face after which the last landmarks no longer say where to look. */
const MAX_PRIOR_AGE_FRAMES = 3;

const emptyTotals = (): StageTotals => ({ detect: 0, landmarks: 0, align: 0, embed: 0, model: 0, total: 0 });

class Verifier implements FaceVerifier {
  readonly #worker: FaceAnalyser;
  readonly #opts: Omit<FaceVerifierOptions, 'models' | 'worker'>;
  readonly #policy: DecisionPolicy;
  #enrolled: Float32Array | undefined;

  constructor(worker: FaceAnalyser, opts: Omit<FaceVerifierOptions, 'models' | 'worker'>) {
    this.#worker = worker;
    this.#opts = opts;
    this.#policy = { ...DEFAULT_DECISION_POLICY, ...opts.decision };
  }

  async enrol(jp2: Uint8Array): Promise<EnrolResult> {
    this.wipe();
    const started = this.#opts.clock.monotonic();
    const a = await this.#worker.enrol(jp2, this.#opts.enrolBudgetMs ?? 5_000);
    if (!a.embedding || !a.primary) throw new NoFaceInPhotoError('no face found in the card photo');
    this.#enrolled = a.embedding;
    return {
      decodeMs: a.timings.decode ?? 0,
      totalMs: this.#opts.clock.monotonic() - started,
      problems: assessFrame(a, this.#opts.guidance).filter((k) => k !== 'too-close' && k !== 'too-far'),
    };
  }

  async verify(source: FrameSource, options: VerifyOptions = {}): Promise<FaceDecision> {
    if (!this.#enrolled && !options.awaitEnrolment) throw new NotEnrolledError('verify() needs enrol() first');
    throwIfAborted(options.signal, 'face verification');
    const { clock, log } = this.#opts;
    const p = { ...this.#policy, ...(options.budgetMs !== undefined ? { budgetMs: options.budgetMs } : {}) };
    const challengePolicy = this.#opts.challenge ?? DEFAULT_CHALLENGE_POLICY;
    const random = this.#opts.random ?? randomInt;
    const liveness = new LivenessTracker(() => drawChallenge(challengePolicy, random), this.#opts.liveness ?? DEFAULT_LIVENESS_POLICY);
    const guidancePolicy = this.#opts.guidance ?? DEFAULT_GUIDANCE_POLICY;
    const stop = new AbortController();
    const onAbort = (): void => stop.abort(options.signal?.reason);
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const started = clock.monotonic();
    const totals = emptyTotals();
    let firstFaceAt: number | undefined;
    let frames = 0;
    let scored = 0;
    let matches = 0;
    let best = -1;
    let lastGuidance: GuidanceKind | undefined;
    let verdict = liveness.verdict();
    let sawGoodFrame = false;
    // The subject's landmarks in the last frame that had them, for following that face.
    let prior: FaceObservation['landmarks'] | undefined;
    let sincePrior = 0;

    const decide = (outcome: FaceOutcome, reason: DecisionReason): FaceDecision => {
      const d: FaceDecision = {
        outcome,
        reason,
        score: best,
        threshold: p.threshold,
        liveness: firstFaceAt === undefined ? undefined : verdict,
        frames,
        scoredFrames: scored,
        elapsedMs: firstFaceAt === undefined ? undefined : clock.monotonic() - firstFaceAt,
        budgetMs: p.budgetMs,
        stageTimings: totals,
      };
      // No score: a genuine patient's similarity is theirs (the outcome says what it decided).
      this.#opts.audit?.record('face.decision', { outcome, reason, threshold: p.threshold, frames, elapsedMs: d.elapsedMs });
      log.info('face decision', { outcome, reason, frames, scored, elapsedMs: d.elapsedMs });
      return d;
    };
    const guide = (kind: GuidanceKind, sequence: number): void => {
      if (kind === lastGuidance) return;
      lastGuidance = kind;
      options.onGuidance?.({ kind, sequence });
    };

    try {
      for await (const frame of source.frames(stop.signal)) {
        frames++;
        const now = clock.monotonic();
        if (firstFaceAt !== undefined && now - firstFaceAt > p.budgetMs) {
          wipeFrame(frame);
          return decide('timeout', timeoutReason(verdict.state, sawGoodFrame));
        }
        if (firstFaceAt === undefined && now - started > p.noFaceTimeoutMs) {
          wipeFrame(frame);
          return decide('timeout', 'no-face');
        }
        if (frames > p.maxFrames) {
          wipeFrame(frame);
          return decide('timeout', 'undecided');
        }
        const remaining = firstFaceAt === undefined ? p.frameBudgetMs : Math.min(p.frameBudgetMs, p.budgetMs - (now - firstFaceAt));
        const enrolled = this.#enrolled;
        const wantEmbedding = enrolled !== undefined && matches < p.matchFrames;
        let a;
        try {
          a = await this.#worker.analyse(frame, {
            embed: wantEmbedding,
            budgetMs: Math.max(1, remaining),
            signal: stop.signal,
            follow: true,
            prior,
          });
        } catch (err) {
          if (err instanceof TimeoutError) continue; // this frame was too slow; the budget check above decides
          throw err;
        } finally {
          wipeFrame(frame);
        }
        addTimings(totals, a.timings);
        if (!a.primary) {
          if (++sincePrior > MAX_PRIOR_AGE_FRAMES) prior = undefined;
          guide('no-face', frame.sequence);
          continue;
        }
        prior = a.primary.landmarks;
        sincePrior = 0;
        if (enrolled) firstFaceAt ??= clock.monotonic();
        const problems = assessFrame(a, guidancePolicy);
        verdict = liveness.add({ at: frame.capturedAt, face: a.primary, usable: problems.length === 0 });
        if (verdict.state === 'spoof') {
          a.embedding?.fill(0);
          return decide('spoof', verdict.reason as DecisionReason);
        }
        if (a.embedding && enrolled) {
          if (problems.length === 0) {
            sawGoodFrame = true;
            const s = cosine(enrolled, a.embedding);
            scored++;
            best = Math.max(best, s);
            if (s >= p.threshold) matches++;
          }
          a.embedding.fill(0);
        }
        if (scored >= p.noMatchFrames && matches === 0) return decide('no-match', 'different-person');
        if (matches >= p.matchFrames && verdict.state === 'live') return decide('match', 'matched-live');
        // A cue stays on the screen while it is answered (a turning head is briefly "turned").
        guide(verdict.cue ?? problems[0] ?? 'hold-still', frame.sequence);
      }
      if (options.signal?.aborted) throw new CancelledError('face verification', { cause: options.signal.reason });
      return decide('timeout', firstFaceAt === undefined ? 'no-face' : 'source-ended');
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
      stop.abort();
    }
  }

  wipe(): void {
    this.#enrolled?.fill(0);
    this.#enrolled = undefined;
  }

  async close(): Promise<void> {
    this.wipe();
    await this.#worker.close();
  }
}

function timeoutReason(state: string, sawGoodFrame: boolean): DecisionReason {
  if (!sawGoodFrame) return 'poor-quality';
  return state === 'pending' ? 'no-liveness' : 'undecided';
}

function wipeFrame(frame: Frame): void {
  if (frame.data.byteLength > 0) frame.data.fill(0);
}

function addTimings(t: StageTotals, s: StageTimings): void {
  t.detect += s.detect;
  t.landmarks += s.landmarks;
  t.align += s.align;
  t.embed += s.embed;
  t.model += s.model;
  t.total += s.total;
}
