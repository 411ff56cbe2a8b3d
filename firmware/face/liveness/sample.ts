/** One analysed camera frame as the liveness check sees it (liveness.ts, actions.ts). */
import type { FaceObservation } from '../pipeline/pipeline.ts';

export interface LivenessSample {
  /** Capture time, ms. */
  readonly at: number;
  readonly face: FaceObservation;
  /** Good enough to be asked something (no guidance problem); default true. */
  readonly usable?: boolean;
}

/**
 * A camera frame the full pipeline skipped, glanced at (pipeline/eye-glance.ts): its eye-region
 * over cheek luma at the eye positions of the last landmarks found.
 */
export interface EyeGlance {
  /** Capture time, ms. */
  readonly at: number;
  readonly eyeBrightness: number;
}
