/**
 * One replayed recording against many challenges (bench face-liveness, replay-draws.test): a
 * recording cannot see the screen, so what the camera shows — and what the pipeline and the action
 * detector make of it — is the same whatever the challenge. It is analysed once, for as long as the
 * decision budget; its deliberate actions and the passive vetoes (planar motion, frozen image) are
 * found once, as `LivenessTracker` finds them; then `draws` fresh challenges are judged on that
 * timeline by `ChallengeJudge`, as the tracker would: as many attempts with the one recording. A
 * chance pass that comes one attempt in a thousand shows here, where one run per seed would miss
 * it. A draw passes when the judge passes it within the budget from the first face, before any veto
 * (the chip photo's match is taken as given: the recording is the patient).
 */
import { assessFrame } from '../../../firmware/face/guidance.ts';
import { ActionDetector, type ActionEvent } from '../../../firmware/face/liveness/actions.ts';
import { ChallengeJudge, drawChallenge, type ChallengePolicy, type RandomInt } from '../../../firmware/face/liveness/challenge.ts';
import {
  DEFAULT_LIVENESS_POLICY,
  LivenessTracker,
  type LivenessPolicy,
  type EyeGlance,
  type LivenessSample,
} from '../../../firmware/face/liveness/liveness.ts';
import { glanceEyes } from '../../../firmware/face/pipeline/eye-glance.ts';
import type { FacePipeline } from '../../../firmware/face/pipeline/pipeline.ts';
import type { FrameRenderer } from '../../../hardware-sim/camera/clocked-frame-source.ts';

/** What the verifier sees of a recording: analysed samples and, between them, glances at the eyes of the frames it skipped. */
export type Observation = LivenessSample | EyeGlance;
export const isSample = (o: Observation): o is LivenessSample => 'face' in o;

/**
 * The samples the verifier would take from `scene` over `seconds`: one every `analysisMs`, of the
 * newest camera frame then; and, as the attempt does, a glance at each camera frame skipped
 * between two, where the tracker says to look (the glances before a faceless sample are dropped).
 */
export async function captureSamples(
  pipeline: FacePipeline,
  scene: FrameRenderer,
  o: { readonly analysisMs: number; readonly seconds: number; readonly cameraFps?: number },
): Promise<Observation[]> {
  const period = 1000 / (o.cameraFps ?? 30);
  const out: Observation[] = [];
  // Only where to glance is read from it (its challenge never cues).
  const tracker = neverCuedTracker(DEFAULT_LIVENESS_POLICY);
  let prior: LivenessSample['face']['landmarks'] | undefined;
  const data = new Uint8Array(scene.width * scene.height * 3);
  const raster = { width: scene.width, height: scene.height, channels: 3, data } as const;
  const n = Math.min(2_000, Math.ceil((o.seconds * 1000) / o.analysisMs));
  let last = -1;
  try {
    for (let k = 0; k < n; k++) {
      const index = Math.max(last + 1, Math.floor((k * o.analysisMs) / period + 1e-9));
      if (index >= scene.length) break;
      const glances: EyeGlance[] = [];
      for (let i = last + 1; i < index && prior; i++) {
        const points = tracker.glancePoints();
        if (!points) break;
        scene.render(i, data);
        const eyeBrightness = glanceEyes(raster, points);
        if (eyeBrightness === undefined) continue;
        const g = { at: i * period, eyeBrightness };
        tracker.glance(g);
        glances.push(g);
      }
      last = index;
      scene.render(index, data);
      const a = await pipeline.analyse(raster, { embed: false, follow: true, prior });
      prior = a.primary?.landmarks;
      if (!a.primary) continue;
      const s = { at: index * period, face: a.primary, usable: assessFrame(a).length === 0 };
      tracker.add(s);
      out.push(...glances, s);
    }
  } finally {
    data.fill(0);
  }
  return out;
}

/** What the liveness check sees of a recording, whatever the challenge. */
export interface ReplayTimeline {
  readonly ticks: readonly {
    readonly at: number;
    readonly usable: boolean;
    readonly busy: boolean;
    readonly events: readonly ActionEvent[];
  }[];
  /** Index of the first tick (analysed sample) at which a passive veto holds (Infinity: none). */
  readonly vetoAt: number;
}

/** The timeline of `seen` (one reading of the tracker's own detector and vetoes): a tick per analysed sample. */
export function timelineOf(seen: readonly Observation[], liveness: LivenessPolicy = DEFAULT_LIVENESS_POLICY): ReplayTimeline {
  const detector = new ActionDetector(liveness.actions, liveness.maxSamples);
  // The vetoes do not depend on the challenge: one tracker, whatever it was asked, finds them.
  const tracker = neverCuedTracker(liveness);
  const ticks: ReplayTimeline['ticks'][number][] = [];
  let vetoAt = Infinity;
  for (const s of seen) {
    if (!isSample(s)) {
      detector.glance(s);
      tracker.glance(s);
      continue;
    }
    const events = detector.add(s);
    ticks.push({ at: s.at, usable: s.usable ?? true, busy: detector.holdsCue, events });
    const v = tracker.add(s);
    if (vetoAt === Infinity && (v.reason === 'planar-motion' || v.reason === 'frozen-image')) vetoAt = ticks.length - 1;
  }
  return { ticks, vetoAt };
}

function neverCuedTracker(liveness: LivenessPolicy): LivenessTracker {
  return new LivenessTracker(
    () => ({ steps: [{ cue: 'turn-left', delayMs: Number.MAX_SAFE_INTEGER }], policy: NEVER_CUED, random: () => 0 }),
    liveness,
  );
}

/** A challenge whose cue never comes (for reading the vetoes alone). */
const NEVER_CUED: ChallengePolicy = {
  steps: 2,
  maxBlinks: 1,
  delayMs: [[0, 0]],
  minReactionMs: 0,
  maxOnsetMs: 0,
  betweenBlinksMs: 0,
  maxRecues: 0,
  maxSampleGapMs: 0,
  missedBlinkGapMs: 0,
};

export interface DrawsResult {
  readonly draws: number;
  readonly passes: number;
  /** Failures by the judge's reason, and draws still pending when the budget ran out or a veto came. */
  readonly outcomes: Readonly<Record<string, number>>;
  /** The distinct cue sequences the recording passed (exact answers: at most one). */
  readonly sequencesPassed: readonly string[];
}

/** `draws` fresh challenges judged on the same timeline; a pass is the judge passing within `budgetMs` of the first sample. */
export function judgeDraws(
  t: ReplayTimeline,
  o: { readonly draws: number; readonly budgetMs: number; readonly challenge: ChallengePolicy; readonly random: RandomInt },
): DrawsResult {
  const first = t.ticks[0];
  let passes = 0;
  const outcomes: Record<string, number> = {};
  const sequences = new Set<string>();
  for (let d = 0; d < o.draws && first; d++) {
    const challenge = drawChallenge(o.challenge, o.random);
    const judge = new ChallengeJudge(challenge);
    let outcome = 'pending';
    for (let i = 0; i < t.ticks.length; i++) {
      const k = t.ticks[i]!;
      if (k.at - first.at > o.budgetMs || i >= t.vetoAt) break;
      for (const e of k.events) judge.event(e);
      judge.tick(k.at, k.usable, k.busy);
      const s = judge.status();
      if (s.state === 'passed' || s.state === 'failed') {
        outcome = s.state === 'passed' ? 'passed' : (s.failure ?? 'failed');
        break;
      }
    }
    outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
    if (outcome === 'passed') {
      passes++;
      sequences.add(challenge.steps.map((s) => s.cue).join(','));
    }
  }
  return { draws: o.draws, passes, outcomes, sequencesPassed: [...sequences] };
}
