/**
 * FaceVerifier: the visit's one handle on face authentication. `enrol()` takes the chip photo
 * (JPEG 2000), `verify()` reads frames from a FrameSource until it can decide — match (same
 * person and alive), no-match, spoof, or timeout (budget counted from the first face) — while
 * reporting guidance, including the active liveness challenge ("please blink");
 * it may start while the photo is still being enrolled (`awaitEnrolment`); `wipe()` zeroes the
 * enrolled embedding and every frame it still holds. Inference happens in the face worker; each
 * verify() is one attempt (attempt/attempt.ts: the loop; attempt/step.ts: its pure per-frame step).
 */
import { throwIfAborted } from '../core/errors.ts';
import type { AuditLog, Logger } from '../core/logger.ts';
import type { Clock } from '../ports/clock.ts';
import type { FrameSource } from '../ports/frame-source.ts';
import { FaceAttempt, type FrameAnalyser } from './attempt/attempt.ts';
import { DEFAULT_DECISION_POLICY, type DecisionPolicy, type FaceDecision } from './decision.ts';
import { NoFaceInPhotoError, NotEnrolledError } from './errors.ts';
import { assessFrame, DEFAULT_GUIDANCE_POLICY, type GuidanceKind, type GuidancePolicy, type GuidanceSink } from './guidance.ts';
import { randomInt } from 'node:crypto';
import { DEFAULT_CHALLENGE_POLICY, drawChallenge, type ChallengePolicy, type RandomInt } from './liveness/challenge.ts';
import { DEFAULT_LIVENESS_POLICY, LivenessTracker, type LivenessPolicy } from './liveness/liveness.ts';
import type { ModelSet } from './pipeline/model-set.ts';
import type { FrameAnalysis } from './pipeline/pipeline.ts';
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
export interface FaceAnalyser extends FrameAnalyser {
  enrol(photo: Uint8Array, budgetMs: number): Promise<FrameAnalysis>;
  close(): Promise<void>;
}

export interface VerifyOptions {
  /** Decision budget from the first face, ms (default 3000). */
  readonly budgetMs?: number;
  readonly signal?: AbortSignal;
  /** Guidance for the patient; a liveness cue's window opens when the screen reports it drawn (GuidanceSink). */
  readonly onGuidance?: GuidanceSink;
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
    const o = this.#opts;
    const challenge = o.challenge ?? DEFAULT_CHALLENGE_POLICY;
    const random = o.random ?? randomInt;
    const attempt = new FaceAttempt({
      analyser: this.#worker,
      clock: o.clock,
      log: o.log,
      audit: o.audit,
      policy: { ...this.#policy, ...(options.budgetMs !== undefined ? { budgetMs: options.budgetMs } : {}) },
      guidance: o.guidance ?? DEFAULT_GUIDANCE_POLICY,
      liveness: new LivenessTracker(() => drawChallenge(challenge, random), o.liveness ?? DEFAULT_LIVENESS_POLICY),
      enrolled: () => this.#enrolled,
      onGuidance: options.onGuidance,
    });
    return attempt.run(source, options.signal);
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
