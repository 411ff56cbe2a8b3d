/**
 * VisitFace on the face part's FaceVerifier and the reader's camera: enrols a copy of the chip
 * photo (the worker wipes what it is given; the visit keeps its own copy for the staff check),
 * verifies live frames within the face part's budget, forwards guidance as face hints, and maps the
 * face part's outcomes: timeout → `budget`, a photo without a face → FACE_UNAVAILABLE.
 * `begin()` starts the first attempt while the chip photo is still being read and enrolled (the
 * liveness challenge runs meanwhile); the visit's next verify() joins it.
 */
import { KaoreaderError } from '../../core/errors.ts';
import type { FaceDecision as CoreDecision } from '../../face/decision.ts';
import type { FaceVerifier } from '../../face/verifier.ts';
import type { FrameSource } from '../../ports/frame-source.ts';
import type { FaceDecision, ShowGuidance, VisitFace } from '../deps.ts';
import { faceHint } from './face-hint.ts';
import { VisitError } from '../errors.ts';

interface Begun {
  readonly decision: Promise<CoreDecision>;
  readonly stop: AbortController;
}

export class FaceVerifierAdapter implements VisitFace {
  #begun: Begun | undefined;
  #onGuidance: ShowGuidance | undefined;

  constructor(
    private readonly verifier: FaceVerifier,
    private readonly camera: FrameSource,
    private readonly o: { budgetMs?: number } = {},
  ) {}

  /** Starts the attempt while the photo is read and enrolled; the next verify() continues it. */
  begin(options: { readonly signal: AbortSignal; readonly onGuidance: ShowGuidance }): void {
    this.#end();
    const stop = new AbortController();
    const onAbort = (): void => stop.abort(options.signal.reason);
    options.signal.addEventListener('abort', onAbort, { once: true });
    this.#onGuidance = options.onGuidance;
    const decision = this.#verify(stop.signal, true).finally(() => options.signal.removeEventListener('abort', onAbort));
    decision.catch(() => undefined); // awaited by verify(); a begun attempt nobody joins just ends
    this.#begun = { decision, stop };
  }

  async enrol(photo: Uint8Array, signal: AbortSignal): Promise<void> {
    if (signal.aborted) throw new VisitError('CANCELLED', 'enrolment cancelled');
    try {
      await this.verifier.enrol(photo.slice());
    } catch (err) {
      this.#end();
      const code = err instanceof KaoreaderError ? err.code : undefined;
      if (code === 'FACE_NOT_IN_PHOTO' || code === 'PHOTO_DECODE_FAILED')
        throw new VisitError('FACE_UNAVAILABLE', 'the chip photo cannot be used for face matching', { cause: err });
      throw err;
    }
  }

  async verify(options: { readonly signal: AbortSignal; readonly onGuidance: ShowGuidance }): Promise<FaceDecision> {
    const begun = this.#begun;
    this.#begun = undefined;
    this.#onGuidance = options.onGuidance;
    let d: CoreDecision;
    if (begun) {
      // Joining the attempt begun during the card read (the visit keeps its hint on the screen).
      const onAbort = (): void => begun.stop.abort(options.signal.reason);
      if (options.signal.aborted) onAbort();
      options.signal.addEventListener('abort', onAbort, { once: true });
      try {
        d = await begun.decision;
      } finally {
        options.signal.removeEventListener('abort', onAbort);
      }
    } else {
      d = await this.#verify(options.signal, false);
    }
    switch (d.outcome) {
      case 'match':
        return { outcome: 'match', score: d.score };
      case 'no-match':
        return { outcome: 'no-match', score: d.score };
      case 'spoof':
        return { outcome: 'spoof' };
      case 'timeout':
        return { outcome: 'budget' };
    }
  }

  #verify(signal: AbortSignal, awaitEnrolment: boolean): Promise<CoreDecision> {
    return this.verifier.verify(this.camera, {
      signal,
      awaitEnrolment,
      onGuidance: (e) => this.#onGuidance?.(faceHint(e.kind)),
      ...(this.o.budgetMs ? { budgetMs: this.o.budgetMs } : {}),
    });
  }

  /** Stops a begun attempt nobody joined. */
  #end(): void {
    this.#begun?.stop.abort(new VisitError('CANCELLED', 'face attempt ended'));
    this.#begun = undefined;
  }

  wipe(): void {
    this.#end();
    this.verifier.wipe();
  }
}
