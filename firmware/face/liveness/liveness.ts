/**
 * Liveness from a sequence of analysed frames: the active challenge (challenge.ts: cued actions
 * drawn at random, each to be begun in its response window and answered exactly, at least one a
 * head turn and one a blink), judged on the deliberate actions seen in the frames (actions.ts; a
 * cue waits while one is under way, and until they can be seen: `ready`), plus passive cues that
 * veto it: motion explained by one moving plane (a photo or screen moved, tilted, rotated) and a frozen image
 * (landmarks identical to the sub-pixel over many frames: a still frame injected or replayed).
 * Spontaneous blinks are not a sign of life here: a recording has them too.
 *
 * Pure and bounded: it keeps at most `maxSamples` recent samples.
 */
import type { EyeGlance, LivenessSample } from './sample.ts';
import { ActionDetector, DEFAULT_ACTION_POLICY, type ActionEvent, type ActionPolicy } from './actions.ts';
import { ChallengeJudge, type Challenge, type ChallengeCue, type ChallengeFailure } from './challenge.ts';
import { homographyResidual, relativeMotion, similarityResidual } from './planar.ts';

export type { EyeGlance, LivenessSample } from './sample.ts';

export interface LivenessPolicy {
  readonly actions: ActionPolicy;
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
  actions: DEFAULT_ACTION_POLICY,
  minShapeChange: 0.025,
  planarRatio: 0.55,
  planarPairs: 10,
  frozenFrames: 12,
  frozenMotion: 0.0005,
  window: 15,
  maxSamples: 120,
};

export type LivenessState = 'pending' | 'live' | 'spoof';
export type LivenessReason = 'challenge-passed' | 'planar-motion' | 'frozen-image' | ChallengeFailure;

export interface LivenessVerdict {
  readonly state: LivenessState;
  readonly reason?: LivenessReason;
  /** While pending: the action the patient is asked for now (undefined: hold still). */
  readonly cue?: ChallengeCue;
  readonly evidence: {
    readonly samples: number;
    /** Challenge steps done so far. */
    readonly steps: number;
    /** Deliberate actions seen. */
    readonly actions: readonly ActionEvent['kind'][];
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
  readonly #draw: () => Challenge;
  readonly #samples: LivenessSample[] = [];
  readonly #ratios: number[] = [];
  #actions: ActionDetector;
  #judge: ChallengeJudge;
  #seen: ActionEvent['kind'][] = [];
  #frozenRun = 0;

  /** `challenge` draws the steps of a fresh challenge (again when another face takes the subject's place). */
  constructor(challenge: () => Challenge, policy: LivenessPolicy = DEFAULT_LIVENESS_POLICY) {
    this.#p = policy;
    this.#draw = challenge;
    this.#actions = new ActionDetector(policy.actions, policy.maxSamples);
    this.#judge = new ChallengeJudge(challenge());
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
    // Actions first: one that ends with this sample began before anything this sample's time brings.
    for (const e of this.#actions.add(sample)) {
      if (this.#seen.length < this.#p.maxSamples && !e.unsure) this.#seen.push(e.kind);
      this.#judge.event(e);
    }
    // No cue before the detector can see its answer (actions.ts `ready`): the wait counts from then.
    this.#judge.tick(sample.at, sample.usable ?? true, this.#actions.holdsCue);
    // Planarity is judged on the motion between turns: a turn on request is where a head shows
    // its depth (actions.ts), and a head's outline landmarks slide along its edge rather than
    // moving as points of a surface.
    if (prev && !this.#actions.turning) {
      const motion = relativeMotion(prev.face.landmarks, sample.face.landmarks);
      this.#frozenRun = motion < this.#p.frozenMotion ? this.#frozenRun + 1 : 0;
      const ref = this.#samples[Math.max(0, this.#samples.length - 1 - this.#p.window)]!;
      const sim = similarityResidual(ref.face.landmarks, sample.face.landmarks);
      if (ref !== sample && sim >= this.#p.minShapeChange) {
        this.#ratios.push(homographyResidual(ref.face.landmarks, sample.face.landmarks) / sim);
        if (this.#ratios.length > this.#p.maxSamples) this.#ratios.shift();
      }
    }
    return this.verdict();
  }

  /** Where a skipped camera frame's eyes are to be glanced at (actions.ts `glancePoints`); undefined: nowhere now. */
  glancePoints(): LivenessSample['face']['landmarks'] | undefined {
    return this.#samples.length > 0 ? this.#actions.glancePoints : undefined;
  }

  /**
   * A camera frame the pipeline skipped, glanced at (at `glancePoints`) between the last sample and the next (actions.ts
   * `glance`: it times blinks at camera rate); nothing before the first sample.
   */
  glance(g: EyeGlance): void {
    if (this.#samples.length > 0) this.#actions.glance(g);
  }

  /**
   * The cue asked for now is being drawn on a screen that reports when it is: its response window
   * opens at the time passed to the callback returned (the samples' timeline; undefined: it was
   * not drawn, another screen came first). challenge.ts `awaitDrawn`.
   */
  awaitDrawn(): (drawnAt: number | undefined) => void {
    return this.#judge.awaitDrawn();
  }

  #reset(): void {
    this.#samples.length = 0;
    this.#ratios.length = 0;
    this.#actions = new ActionDetector(this.#p.actions, this.#p.maxSamples);
    this.#judge = new ChallengeJudge(this.#draw());
    this.#seen = [];
    this.#frozenRun = 0;
  }

  verdict(): LivenessVerdict {
    const planarRatio = median(this.#ratios);
    const c = this.#judge.status();
    const evidence = {
      samples: this.#samples.length,
      steps: c.step,
      actions: [...this.#seen],
      informativePairs: this.#ratios.length,
      planarRatio,
      frozenRun: this.#frozenRun,
    };
    if (this.#frozenRun >= this.#p.frozenFrames) return { state: 'spoof', reason: 'frozen-image', evidence };
    if (this.#ratios.length >= this.#p.planarPairs && planarRatio <= this.#p.planarRatio)
      return { state: 'spoof', reason: 'planar-motion', evidence };
    if (c.state === 'failed') return { state: 'spoof', ...(c.failure ? { reason: c.failure } : {}), evidence };
    if (c.state === 'passed') return { state: 'live', reason: 'challenge-passed', evidence };
    return { state: 'pending', ...(c.cue ? { cue: c.cue } : {}), evidence };
  }
}
