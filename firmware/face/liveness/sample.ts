/** One analysed camera frame as the liveness check sees it (liveness.ts, actions.ts). */
import type { FaceObservation } from '../pipeline/pipeline.ts';

export interface LivenessSample {
  /** Capture time, ms. */
  readonly at: number;
  readonly face: FaceObservation;
  /** Good enough to be asked something (no guidance problem); default true. */
  readonly usable?: boolean;
}
