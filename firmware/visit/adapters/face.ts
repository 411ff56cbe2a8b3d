/**
 * VisitFace on the face part's FaceVerifier and the reader's camera: enrols a copy of the chip
 * photo (the worker wipes what it is given; the visit keeps its own copy for the staff check),
 * verifies live frames within the face part's budget, forwards guidance kinds, and maps the
 * face part's outcomes: timeout → `budget`, a photo without a face → FACE_UNAVAILABLE.
 */
import { KaoreaderError } from '../../core/errors.ts';
import type { FaceVerifier } from '../../face/verifier.ts';
import type { FrameSource } from '../../ports/frame-source.ts';
import type { FaceDecision, FaceGuidance, VisitFace } from '../deps.ts';
import { VisitError } from '../errors.ts';

export class FaceVerifierAdapter implements VisitFace {
  constructor(private readonly verifier: FaceVerifier, private readonly camera: FrameSource, private readonly o: { budgetMs?: number } = {}) {}

  async enrol(photo: Uint8Array, signal: AbortSignal): Promise<void> {
    if (signal.aborted) throw new VisitError('CANCELLED', 'enrolment cancelled');
    try {
      await this.verifier.enrol(photo.slice());
    } catch (err) {
      const code = err instanceof KaoreaderError ? err.code : undefined;
      if (code === 'FACE_NOT_IN_PHOTO' || code === 'PHOTO_DECODE_FAILED') throw new VisitError('FACE_UNAVAILABLE', 'the chip photo cannot be used for face matching', { cause: err });
      throw err;
    }
  }

  async verify(options: { readonly signal: AbortSignal; readonly onGuidance: (hint: FaceGuidance) => void }): Promise<FaceDecision> {
    const d = await this.verifier.verify(this.camera, {
      signal: options.signal,
      onGuidance: (e) => options.onGuidance(e.kind),
      ...(this.o.budgetMs ? { budgetMs: this.o.budgetMs } : {}),
    });
    switch (d.outcome) {
      case 'match': return { outcome: 'match', score: d.score };
      case 'no-match': return { outcome: 'no-match', score: d.score };
      case 'spoof': return { outcome: 'spoof' };
      case 'timeout': return { outcome: 'budget' };
    }
  }

  wipe(): void {
    this.verifier.wipe();
  }
}
