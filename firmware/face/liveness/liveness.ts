/**
 * Liveness from a sequence of analysed frames: an active challenge (a blink, seen as the eye
 * aspect ratio dropping and recovering, or a head turn, seen as the yaw proxy sweeping) plus
 * passive cues that veto it: motion explained by one moving plane (a photo or screen moved,
 * tilted, rotated), a frozen image (landmarks identical to the sub-pixel over many frames:
 * a still frame injected or replayed), and glare typical of glossy prints and screens.
 *
 * Pure and bounded: it keeps at most `maxSamples` recent samples.
 */
import type { FaceObservation } from '../pipeline/pipeline.ts';
import { homographyResidual, relativeMotion } from './planar.ts';

export interface LivenessPolicy {
  /** EAR below this share of the open-eye baseline counts as closed… */
  readonly closedRatio: number;
  /** …and above this share as open again. */
  readonly openRatio: number;
  /** Longest closure that still counts as a blink, ms. */
  readonly maxBlinkMs: number;
  /** Yaw sweep (max − min of the yaw proxy) that counts as a head turn. */
  readonly minYawSweep: number;
  /** Motion (mean landmark displacement / eye distance) above which a pair is informative. */
  readonly minMotion: number;
  /** Homography residual (normalised) below which an informative pair is planar. */
  readonly planarResidual: number;
  /** Informative pairs, all planar, that make the sequence a moved photo. */
  readonly planarPairs: number;
  /** Consecutive frames with motion below `frozenMotion` that make the image frozen. */
  readonly frozenFrames: number;
  readonly frozenMotion: number;
  /** Share of clipped face pixels (glare) that counts as a glossy surface. */
  readonly maxClipped: number;
  readonly maxSamples: number;
}

export const DEFAULT_LIVENESS_POLICY: LivenessPolicy = {
  closedRatio: 0.7,
  openRatio: 0.88,
  maxBlinkMs: 600,
  minYawSweep: 0.22,
  minMotion: 0.04,
  planarResidual: 0.012,
  planarPairs: 6,
  frozenFrames: 12,
  frozenMotion: 0.0005,
  maxClipped: 0.04,
  maxSamples: 120,
};

export interface LivenessSample {
  readonly at: number;
  readonly face: FaceObservation;
}

export type LivenessState = 'pending' | 'live' | 'spoof';
export type LivenessReason = 'blink' | 'head-turn' | 'planar-motion' | 'frozen-image' | 'glare';

export interface LivenessVerdict {
  readonly state: LivenessState;
  readonly reason?: LivenessReason;
  readonly evidence: {
    readonly samples: number;
    readonly blink: boolean;
    readonly yawSweep: number;
    readonly informativePairs: number;
    readonly nonPlanarPairs: number;
    readonly frozenRun: number;
  };
}

export class LivenessTracker {
  readonly #p: LivenessPolicy;
  readonly #samples: LivenessSample[] = [];
  #blink = false;
  #closedAt: number | undefined;
  #informative = 0;
  #nonPlanar = 0;
  #frozenRun = 0;
  #glare = 0;

  constructor(policy: LivenessPolicy = DEFAULT_LIVENESS_POLICY) {
    this.#p = policy;
  }

  add(sample: LivenessSample): LivenessVerdict {
    const prev = this.#samples.at(-1);
    this.#samples.push(sample);
    if (this.#samples.length > this.#p.maxSamples) this.#samples.shift();
    if (sample.face.stats.clipped > this.#p.maxClipped) this.#glare++;
    if (prev) {
      const motion = relativeMotion(prev.face.landmarks, sample.face.landmarks);
      this.#frozenRun = motion < this.#p.frozenMotion ? this.#frozenRun + 1 : 0;
      // Compare against a reference far enough back that real motion has accumulated.
      const ref = this.#reference(sample);
      if (ref) {
        this.#informative++;
        if (homographyResidual(ref.face.landmarks, sample.face.landmarks) > this.#p.planarResidual) this.#nonPlanar++;
      }
    }
    this.#trackBlink(sample);
    return this.verdict();
  }

  #reference(current: LivenessSample): LivenessSample | undefined {
    for (let i = this.#samples.length - 2; i >= 0; i--) {
      const s = this.#samples[i]!;
      if (relativeMotion(s.face.landmarks, current.face.landmarks) >= this.#p.minMotion) return s;
    }
    return undefined;
  }

  #baselineEar(): number {
    const ears = this.#samples.map((s) => s.face.ear).sort((a, b) => a - b);
    return ears[Math.floor(ears.length * 0.75)] ?? 0;
  }

  #trackBlink(s: LivenessSample): void {
    if (this.#samples.length < 3) return;
    const base = this.#baselineEar();
    if (base <= 0) return;
    if (s.face.ear < base * this.#p.closedRatio) this.#closedAt ??= s.at;
    else if (s.face.ear > base * this.#p.openRatio && this.#closedAt !== undefined) {
      if (s.at - this.#closedAt <= this.#p.maxBlinkMs) this.#blink = true;
      this.#closedAt = undefined;
    }
  }

  #yawSweep(): number {
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (const s of this.#samples) { lo = Math.min(lo, s.face.pose.yaw); hi = Math.max(hi, s.face.pose.yaw); }
    return this.#samples.length ? hi - lo : 0;
  }

  verdict(): LivenessVerdict {
    const yawSweep = this.#yawSweep();
    const evidence = { samples: this.#samples.length, blink: this.#blink, yawSweep, informativePairs: this.#informative, nonPlanarPairs: this.#nonPlanar, frozenRun: this.#frozenRun };
    if (this.#frozenRun >= this.#p.frozenFrames) return { state: 'spoof', reason: 'frozen-image', evidence };
    const planar = this.#informative >= this.#p.planarPairs && this.#nonPlanar <= this.#informative * 0.1;
    if (planar) return { state: 'spoof', reason: 'planar-motion', evidence };
    if (this.#glare > Math.max(3, this.#samples.length / 2)) return { state: 'spoof', reason: 'glare', evidence };
    // An active sign of life counts only when the motion around it was not a rigid plane.
    const nonRigid = this.#nonPlanar >= 1;
    if (this.#blink && nonRigid) return { state: 'live', reason: 'blink', evidence };
    if (yawSweep >= this.#p.minYawSweep && nonRigid) return { state: 'live', reason: 'head-turn', evidence };
    return { state: 'pending', evidence };
  }
}
