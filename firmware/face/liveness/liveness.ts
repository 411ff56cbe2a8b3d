/**
 * Liveness from a sequence of analysed frames: an active challenge (a blink, seen as the eye
 * regions turning skin-bright relative to the face's own open-eye/cheek contrast — or the eye
 * aspect ratio dropping — and recovering within `maxBlinkMs`; or a head turn, seen as the yaw proxy sweeping with non-planar shape change) plus
 * passive cues that veto it: motion explained by one moving plane (a photo or screen moved,
 * tilted, rotated), a frozen image (landmarks identical to the sub-pixel over many frames:
 * a still frame injected or replayed). (Glare was tried as a cue and dropped: real faces under
 * clinic lights clip as much as glossy prints.)
 * A photo moved only within its plane (sliding, turning about the lens axis) is
 * indistinguishable from a real head doing the same; it gives no sign of life, so it times out.
 *
 * Pure and bounded: it keeps at most `maxSamples` recent samples.
 */
import type { FaceObservation } from '../pipeline/pipeline.ts';
import { homographyResidual, relativeMotion, similarityResidual } from './planar.ts';

export interface LivenessPolicy {
  /**
   * Eye closure is measured against the face's own contrast: how far the eye region's brightness
   * (over the cheeks) has moved from its open-eye baseline towards the cheeks' brightness (a lid
   * is skin). 0 = as open as usual, 1 = as bright as the cheeks. At or above this: closed…
   */
  readonly closedClosure: number;
  /** …and below this: open again. */
  readonly openClosure: number;
  /** Least open-eye/cheek gap assumed (a face whose open eyes are already about as bright as its cheeks). */
  readonly minEyeGap: number;
  /** EAR below baseline × this also counts as closed. */
  readonly closedEar: number;
  /** Longest closure that still counts as a blink, ms. */
  readonly maxBlinkMs: number;
  /**
   * Fewest consecutive closed frames. A spontaneous blink lasts 100–150 ms: at the 12–15 frames/s
   * the worker analyses on a loaded 2-core board that is one frame. One frame suffices because it
   * must sit between open frames within `maxBlinkMs`, close the eyes by a fifth of the face's own
   * eye/cheek contrast, and leave the skull's shape unchanged.
   */
  readonly minClosedFrames: number;
  /** Largest shape change (similarity residual of the skull points) allowed during a blink. */
  readonly maxBlinkShapeChange: number;
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
  /** How far back (samples) the pair reference may be. */
  readonly window: number;
  readonly maxSamples: number;
}

export const DEFAULT_LIVENESS_POLICY: LivenessPolicy = {
  closedClosure: 0.22,
  openClosure: 0.1,
  minEyeGap: 0.15,
  closedEar: 0.8,
  maxBlinkMs: 700,
  minClosedFrames: 1,
  maxBlinkShapeChange: 0.04,
  minYawSweep: 0.22,
  minShapeChange: 0.025,
  planarRatio: 0.65,
  planarPairs: 10,
  frozenFrames: 12,
  frozenMotion: 0.0005,
  window: 15,
  maxSamples: 120,
};

export interface LivenessSample {
  readonly at: number;
  readonly face: FaceObservation;
}

export type LivenessState = 'pending' | 'live' | 'spoof';
export type LivenessReason = 'blink' | 'head-turn' | 'planar-motion' | 'frozen-image';

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

/** The face box moved by more than half its width between two frames. */
function jumped(a: LivenessSample, b: LivenessSample): boolean {
  const ba = a.face.box;
  const bb = b.face.box;
  return Math.hypot(ba.x + ba.width / 2 - bb.x - bb.width / 2, ba.y + ba.height / 2 - bb.y - bb.height / 2) > ba.width / 2;
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
  #closedFrames = 0;
  #closureSteady = true;
  #openRef: LivenessSample | undefined;
  #frozenRun = 0;

  constructor(policy: LivenessPolicy = DEFAULT_LIVENESS_POLICY) {
    this.#p = policy;
  }

  add(sample: LivenessSample): LivenessVerdict {
    let prev = this.#samples.at(-1);
    if (prev && jumped(prev, sample)) {
      // A different face took the subject's place: evidence so far was about someone else.
      this.#reset();
      prev = undefined;
    }
    this.#samples.push(sample);
    if (this.#samples.length > this.#p.maxSamples) this.#samples.shift();
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

  #reset(): void {
    this.#samples.length = 0;
    this.#ratios.length = 0;
    this.#blink = false;
    this.#closedAt = undefined;
    this.#closedFrames = 0;
    this.#closureSteady = true;
    this.#openRef = undefined;
    this.#frozenRun = 0;
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
    const closure = (x: LivenessSample): number => (x.face.stats.eyeBrightness - eyeBase) / Math.max(this.#p.minEyeGap, 1 - eyeBase);
    const isOpen = (x: LivenessSample): boolean => closure(x) < this.#p.openClosure && x.face.ear > earBase * 0.92;
    const closed = closure(s) >= this.#p.closedClosure || s.face.ear < earBase * this.#p.closedEar;
    const open = isOpen(s);
    if (closed) {
      // A closure in the first frames: the open frame before it is judged now that there is a baseline.
      this.#openRef ??= this.#samples.slice(0, -1).reverse().find(isOpen);
      this.#closedAt ??= s.at;
      this.#closedFrames++;
      // Only the eyelids may move: the rest of the face must hold its shape against the
      // last open frame, or this is tracking noise (a tilted photo, a lost face).
      if (!this.#openRef || similarityResidual(this.#openRef.face.landmarks, s.face.landmarks) > this.#p.maxBlinkShapeChange) this.#closureSteady = false;
    } else if (open) {
      if (this.#closedAt !== undefined && s.at - this.#closedAt <= this.#p.maxBlinkMs && this.#closedFrames >= this.#p.minClosedFrames && this.#closureSteady
        && this.#openRef && similarityResidual(this.#openRef.face.landmarks, s.face.landmarks) <= this.#p.maxBlinkShapeChange) this.#blink = true;
      this.#closedAt = undefined;
      this.#closedFrames = 0;
      this.#closureSteady = true;
      this.#openRef = s;
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
    if (this.#blink) return { state: 'live', reason: 'blink', evidence };
    // A head turn counts only when its shape change was judged and was not a plane.
    if (yawSweep >= this.#p.minYawSweep && judged) return { state: 'live', reason: 'head-turn', evidence };
    return { state: 'pending', evidence };
  }
}
