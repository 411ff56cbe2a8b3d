/**
 * Liveness from a sequence of analysed frames: an active challenge (a blink, seen as the eye
 * regions turning skin-bright — or the eye aspect ratio dropping — and recovering within
 * `maxBlinkMs`; or a head turn, seen as the yaw proxy sweeping with non-planar shape change) plus
 * passive cues that veto it: motion explained by one moving plane (a photo or screen moved,
 * tilted, rotated), a frozen image (landmarks identical to the sub-pixel over many frames:
 * a still frame injected or replayed), and glare typical of glossy prints and screens.
 * A photo moved only within its plane (sliding, turning about the lens axis) is
 * indistinguishable from a real head doing the same; it gives no sign of life, so it times out.
 *
 * Pure and bounded: it keeps at most `maxSamples` recent samples.
 */
import type { FaceObservation } from '../pipeline/pipeline.ts';
import { homographyResidual, relativeMotion, similarityResidual } from './planar.ts';

export interface LivenessPolicy {
  /** Eye region brightness (over cheeks) above baseline × this counts as closed… */
  readonly closedBrightness: number;
  /** …and back below baseline × this as open again. */
  readonly openBrightness: number;
  /** EAR below baseline × this also counts as closed. */
  readonly closedEar: number;
  /** Longest closure that still counts as a blink, ms. */
  readonly maxBlinkMs: number;
  /** Yaw sweep (max − min of the yaw proxy) that counts as a head turn. */
  readonly minYawSweep: number;
  /** Similarity residual (normalised) above which a frame pair shows non-similarity motion. */
  readonly minShapeChange: number;
  /** Median homography/similarity residual ratio at or below which that motion is a plane. */
  readonly planarRatio: number;
  /** Informative pairs needed before planarity is judged. */
  readonly planarPairs: number;
  /** Consecutive frames with motion below `frozenMotion` that make the image frozen. */
  readonly frozenFrames: number;
  readonly frozenMotion: number;
  /** Share of clipped face pixels (glare) that counts as a glossy surface. */
  readonly maxClipped: number;
  /** How far back (samples) the pair reference may be. */
  readonly window: number;
  readonly maxSamples: number;
}

export const DEFAULT_LIVENESS_POLICY: LivenessPolicy = {
  closedBrightness: 1.4,
  openBrightness: 1.15,
  closedEar: 0.8,
  maxBlinkMs: 700,
  minYawSweep: 0.22,
  minShapeChange: 0.018,
  planarRatio: 0.75,
  planarPairs: 6,
  frozenFrames: 12,
  frozenMotion: 0.0005,
  maxClipped: 0.04,
  window: 15,
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
    /** Frame pairs whose landmarks changed shape beyond a similarity. */
    readonly informativePairs: number;
    /** Median homography/similarity residual ratio over those pairs (1 = not planar at all). */
    readonly planarRatio: number;
    readonly frozenRun: number;
  };
}

const median = (v: readonly number[]): number => {
  const s = [...v].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)]! : 1;
};

export class LivenessTracker {
  readonly #p: LivenessPolicy;
  readonly #samples: LivenessSample[] = [];
  readonly #ratios: number[] = [];
  #blink = false;
  #closedAt: number | undefined;
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
      const ref = this.#samples[Math.max(0, this.#samples.length - 1 - this.#p.window)]!;
      const sim = similarityResidual(ref.face.landmarks, sample.face.landmarks);
      if (ref !== sample && sim >= this.#p.minShapeChange) {
        this.#ratios.push(homographyResidual(ref.face.landmarks, sample.face.landmarks) / sim);
        if (this.#ratios.length > this.#p.maxSamples) this.#ratios.shift();
      }
    }
    this.#trackBlink(sample);
    return this.verdict();
  }

  #baseline(pick: (s: LivenessSample) => number, q: number): number {
    const v = this.#samples.map(pick).sort((a, b) => a - b);
    return v[Math.floor((v.length - 1) * q)] ?? 0;
  }

  #trackBlink(s: LivenessSample): void {
    if (this.#samples.length < 4) return;
    const eyeBase = this.#baseline((x) => x.face.stats.eyeBrightness, 0.25);
    const earBase = this.#baseline((x) => x.face.ear, 0.75);
    if (eyeBase <= 0 || earBase <= 0) return;
    const closed = s.face.stats.eyeBrightness > eyeBase * this.#p.closedBrightness || s.face.ear < earBase * this.#p.closedEar;
    const open = s.face.stats.eyeBrightness < eyeBase * this.#p.openBrightness && s.face.ear > earBase * 0.92;
    if (closed) this.#closedAt ??= s.at;
    else if (open && this.#closedAt !== undefined) {
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
    const planarRatio = median(this.#ratios);
    const evidence = { samples: this.#samples.length, blink: this.#blink, yawSweep, informativePairs: this.#ratios.length, planarRatio, frozenRun: this.#frozenRun };
    if (this.#frozenRun >= this.#p.frozenFrames) return { state: 'spoof', reason: 'frozen-image', evidence };
    const judged = this.#ratios.length >= this.#p.planarPairs;
    if (judged && planarRatio <= this.#p.planarRatio) return { state: 'spoof', reason: 'planar-motion', evidence };
    if (this.#glare > Math.max(3, this.#samples.length / 2)) return { state: 'spoof', reason: 'glare', evidence };
    if (this.#blink) return { state: 'live', reason: 'blink', evidence };
    // A head turn counts only when its shape change was judged and was not a plane.
    if (yawSweep >= this.#p.minYawSweep && judged) return { state: 'live', reason: 'head-turn', evidence };
    return { state: 'pending', evidence };
  }
}
