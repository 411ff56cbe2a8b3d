/**
 * Deliberate actions seen in a stream of analysed frames: a deliberate blink (the eyes closed for
 * longer than a spontaneous blink keeps them closed) and a head turn to one side (the nose moving
 * across the eyes by a share of their distance that a face printed on paper, flat or bent, does
 * not show: the nose of a head stands out of the face). Each comes as an event with the capture
 * time its motion began, so the challenge (challenge.ts) can tell a reaction to a cue from a
 * recording that happened to move.
 *
 * Between analysed frames, glances at the eyes of the camera frames the pipeline skipped (sample.ts
 * `EyeGlance`) say when the lids are down at camera rate: a blink is timed on both, each judged
 * against its own baseline. Glances are read at the eye corners of the last landmarks, so a blink
 * whose closure glances saw counts only once the next analysed frame shows the head where they
 * measured it (same shape, not turned, corners moved ≤ `maxGlanceShift` from frame to frame while
 * they were taken); otherwise it is `unsure`.
 *
 * "Left" and "right" are the patient's own: a patient turning to their left shows the camera the
 * nose moving towards image right (the camera faces them; nothing is mirrored), which is a rising
 * yaw proxy (geometry.ts headPose).
 */
import { similarityResidual } from './planar.ts';
import type { EyeGlance, LivenessSample } from './sample.ts';

export type ActionKind = 'blink' | 'turn-left' | 'turn-right';

export interface ActionEvent {
  readonly kind: ActionKind;
  /** Capture time of the first sample showing the motion (it began at or before this)… */
  readonly onset: number;
  /**
   * …and of the last sample before that one (it began after this). Between two samples the onset
   * is not known: when frames come sparsely the two lie far apart.
   */
  readonly after: number;
  /** Capture time at which it was recognised as done. */
  readonly at: number;
  /**
   * A blink whose lids were seen down too briefly to know it was deliberate, though they may have
   * been (the frames around it are too far apart), or one with frames missing while the lids were
   * down (it may have been two): it neither answers a cue nor refuses one.
   */
  readonly unsure?: true;
}

export interface ActionPolicy {
  /** Closure (share of the face's own open-eye/cheek contrast the eyes moved towards the cheeks) at or above which the eyes are closed… */
  readonly closedClosure: number;
  /** …and below which they are open again. */
  readonly openClosure: number;
  /** Least open-eye/cheek gap assumed (eyes about as bright as the cheeks). */
  readonly minEyeGap: number;
  /** Eye aspect ratio below its baseline × this also counts as closed. */
  readonly closedEar: number;
  /**
   * Seen closed at least this long — from the first closed sample to the last, a lower bound on
   * how long the lids were down — is a deliberate blink. A spontaneous blink keeps the lids down
   * for 50–100 ms; one made on request for 200 ms and more. Glances at the skipped camera frames
   * time it at camera rate; without them, with sparse frames (one closed sample between open ones
   * far apart), the duration is unknown: such a blink is not counted as deliberate (`unsure`), so
   * it can neither answer a cue nor refuse one.
   */
  readonly minDeliberateMs: number;
  /** Closed longer than this is eyes kept shut, not a blink. */
  readonly maxBlinkMs: number;
  /**
   * Two closed samples further apart than this may hide an opening between them (the blinks of one
   * answer are ≈ 150 ms open between them): what ends is one blink or more, its count unknown
   * (`unsure`). Closed samples up to 400 ms apart (frames at 2.5/s) are still counted as one blink
   * (sparse frames); a longer gap is a stalled reader — a loaded machine's 700 ms without a frame
   * merged "blink twice" into one blink and refused a live patient as a spoof.
   */
  readonly maxClosedGapMs: number;
  /**
   * Largest shape change of the skull points during a blink (only the eyelids may move), from the
   * open sample before it to one up to `shapeSpanMs` later…
   */
  readonly maxBlinkShapeChange: number;
  /**
   * …and to one further apart. A live head's shape drifts more over a longer span: with sparse
   * frames (4/s) a blink is judged on the open sample before it and the first after, two intervals
   * or more apart (500–1,000 ms), and its end, timed by glances, on that later sample. On the
   * development traces (seeds 1–10, 4 analysed frames/s) open pairs of a still head 500–750 ms apart
   * reached 0.037 and the pairs around glance-timed deliberate blinks 0.045 (three of 150 above 0.04:
   * each judged `unsure`, the cue spent, the patient timed out). 0.055 keeps over that the margin
   * 0.04 keeps over the 99th percentile of blinks seen closed at 15 frames/s (0.033): × 1.2.
   */
  readonly maxSparseShapeChange: number;
  /** Span (ms) up to which `maxBlinkShapeChange` holds: at 15 frames/s a deliberate blink's closed samples lie within it. */
  readonly shapeSpanMs: number;
  /**
   * The lids fall in about 100 ms (a blink's closing phase; one made on request is no slower), so
   * the eyes pass the band between open and closed in a fraction of that. Eyes seen in that band on
   * observations further apart than this before they close were not closed by the lids: the eye
   * regions brightened slowly, as they do while a head resting turned turns further that way (the
   * landmarks lag the turn and the eye regions take in the skin beside the eyes). No blink then.
   */
  readonly maxLidFallMs: number;
  /** Glances taken before their own baseline (the lower quartile of the recent ones) is trusted. */
  readonly minGlances: number;
  /**
   * How far the eye corners may move (share of the eye distance) from one analysed frame to the next
   * while glances timed a blink, for the glances' eye regions (placed by the earlier frame) to have
   * stayed on the eyes.
   */
  readonly maxGlanceShift: number;
  /**
   * Yaw proxy change from the patient's own resting pose that is a head turn, for a face at rest
   * facing the camera. Judged against that resting pose (measured before any cue), never as an
   * absolute yaw: a patient whose head already points a little to one side at rest turns from there.
   */
  readonly minTurnYaw: number;
  /**
   * How far the yaw proxy reaches to one side. A head already turned towards a side at rest has
   * less of the proxy left there (the nose cannot cross the far cheek, and the landmark model
   * saturates: past ≈ 40° it falls back towards a frontal fit while the head turns on): a turn
   * towards that side needs `minTurnYaw` × (1 − rest / `turnYawRange`)…
   *
   * Fitted on the development traces (bench face-liveness, seeds 1–10, 15 frames/s): a 30° turn
   * towards the side the head rests on peaked 0.053–0.12 from rest for watanabe-emi (rest +0.167),
   * 0.079– for suzuki-aiko (+0.12), 0.092– for tanaka-yuki (−0.13), 0.10– for sato-hanako (−0.2),
   * 0.12– for takahashi-mei (+0.045). With 0.3 and a floor of 0.05 her threshold was 0.053, her
   * smallest turns' peak: missed, the next cues waited and she timed out. With 0.25 and 0.04 the
   * thresholds are 0.04 (watanabe-emi, sato-hanako), 0.058–0.062 and 0.098.
   */
  readonly turnYawRange: number;
  /**
   * …but never less than this: above the frame-to-frame jitter of a still head (two samples in a
   * row away from rest on one side reached 0.030 on those traces, eyes open or blinking).
   */
  readonly minTurnYawFloor: number;
  /** Consecutive samples beyond the turn threshold that make a turn, and back near rest (eyes open) that end it (one may be jitter). */
  readonly turnSamples: number;
  /**
   * With frames this far apart or further (a loaded reader, a Pi analysing 3–5 frames/s), a quick
   * turn (30° and back in 1.2 s) may reach beyond the threshold on one sample only: one sample
   * beyond it makes a turn when the samples just before and just after it are away from rest
   * towards the same side (the head seen leaving rest, at the turn, and coming back: a motion that
   * lasts ≥ 2 × this, where a jittery sample of a still head or a photo is alone out of line).
   */
  readonly sparseTurnGapMs: number;
  /** Yaw proxy change below which the head is still at rest (the turn's onset is the last such sample). */
  readonly restYaw: number;
  /** Samples the resting yaw is the median of (at least). */
  readonly restSamples: number;
  /** The resting yaw is taken from samples at least this old… */
  readonly restLagMs: number;
  /** …and at most this much older than that. */
  readonly restWindowMs: number;
}

export const DEFAULT_ACTION_POLICY: ActionPolicy = {
  closedClosure: 0.22,
  openClosure: 0.1,
  minEyeGap: 0.15,
  closedEar: 0.8,
  minDeliberateMs: 150,
  maxBlinkMs: 1500,
  maxClosedGapMs: 450,
  maxBlinkShapeChange: 0.04,
  maxSparseShapeChange: 0.055,
  shapeSpanMs: 500,
  maxLidFallMs: 150,
  minGlances: 6,
  maxGlanceShift: 0.2,
  minTurnYaw: 0.12,
  turnYawRange: 0.25,
  minTurnYawFloor: 0.04,
  turnSamples: 2,
  sparseTurnGapMs: 150,
  restYaw: 0.04,
  restSamples: 6,
  restLagMs: 600,
  restWindowMs: 800,
};

/** Blinks awaiting their next analysed sample (glances see at most a few between two samples). */
const MAX_PENDING = 4;

/** The nose's move (mean of its nine points, which the lids do not move) from `a` to `b`, pixels. */
function noseMove(a: LivenessSample, b: LivenessSample): readonly [number, number] {
  let dx = 0;
  let dy = 0;
  for (let i = 27; i <= 35; i++) {
    dx += b.face.landmarks[i]![0] - a.face.landmarks[i]![0];
    dy += b.face.landmarks[i]![1] - a.face.landmarks[i]![1];
  }
  return [dx / 9, dy / 9];
}

/** How far the head moved from `a` to `b` (the nose), in eye distances (eye corners of `a`). */
function headShift(a: LivenessSample, b: LivenessSample): number {
  const p = a.face.landmarks;
  const iod = Math.hypot(p[42]![0] + p[45]![0] - p[36]![0] - p[39]![0], p[42]![1] + p[45]![1] - p[36]![1] - p[39]![1]) / 2 || 1;
  return Math.hypot(...noseMove(a, b)) / iod;
}

const median = (v: readonly number[]): number => {
  const s = [...v].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)]! : 0;
};

/** Finds deliberate blinks and head turns in the samples it is given, one at a time. Bounded: it keeps what `window` samples it needs. */
export class ActionDetector {
  readonly #p: ActionPolicy;
  readonly #samples: LivenessSample[] = [];
  readonly #window: number;
  /** Capture times of the first and the last observation (sample or glance) of the eyes closed now… */
  #closedSince: number | undefined;
  #closedLast: number | undefined;
  /** …of the observation before the first one… */
  #closedAfter = Number.NEGATIVE_INFINITY;
  /** …and the longest time between two of them. */
  #closedGap = 0;
  /** Glances saw the eyes closed now. */
  #glanced = false;
  /** Capture times of the first and the last observation of the eye statistic between open and closed since the eyes were last open (not closed since). */
  #halfSince: number | undefined;
  #halfLast: number | undefined;
  /** The last analysed sample with the eyes open (before the closure under way). */
  #openRef: LivenessSample | undefined;
  #steady = true;
  /** Capture time of the last eye observation, and of the last glance with the eyes open. */
  #lastEyeAt = Number.NEGATIVE_INFINITY;
  #lastOpenGlanceAt = Number.NEGATIVE_INFINITY;
  /** Recent glances' eye brightness (their own baseline: the raw frame, not the aligned crop). */
  readonly #glances: number[] = [];
  /** Blinks whose end only glances saw, each with the open sample before it: judged on the next analysed sample. */
  readonly #pending: { readonly event: ActionEvent; readonly ref: LivenessSample; readonly drift: number }[] = [];
  /** How far the eye corners moved between two samples (share of the eye distance): the last two, and the most while the eyes were closed now. */
  #drift = 0;
  #closureDrift = 0;
  /** `glancePoints` as placed for the last sample. */
  #glanceFor: { readonly last: LivenessSample | undefined; readonly points: LivenessSample['face']['landmarks'] | undefined } | undefined;
  #turning: ActionKind | undefined;
  /** Samples in a row seen back near rest (eyes open) since the turn under way. */
  #backAtRest = 0;
  #restYaw: number | undefined;
  readonly #restHistory: { readonly at: number; readonly yaw: number }[] = [];

  constructor(policy: ActionPolicy = DEFAULT_ACTION_POLICY, window = 60) {
    this.#p = policy;
    this.#window = window;
  }

  /** The events this sample completes (at most one blink and one turn). */
  add(s: LivenessSample): ActionEvent[] {
    const prev = this.#samples.at(-1);
    this.#drift = prev ? headShift(prev, s) : 0;
    if (this.#closedSince !== undefined) this.#closureDrift = Math.max(this.#closureDrift, this.#drift);
    this.#samples.push(s);
    if (this.#samples.length > this.#window) this.#samples.shift();
    const out: ActionEvent[] = [];
    for (const p of this.#pending.splice(0))
      out.push(this.#glancesHeld(p.ref, s, Math.max(p.drift, this.#drift)) ? p.event : { ...p.event, unsure: true });
    const blink = this.#blink(s);
    if (blink) out.push(blink);
    const turn = this.#turn(s);
    if (turn) out.push(turn);
    return out;
  }

  /** The head is away from where it rests (turning, turned, or on its way back). */
  get turning(): boolean {
    const last = this.#samples.at(-1);
    return (
      this.#turning !== undefined ||
      (last !== undefined && this.#restYaw !== undefined && Math.abs(last.face.pose.yaw - this.#restYaw) >= this.#p.restYaw)
    );
  }

  /**
   * It can see every action: a blink's baselines (4 samples, and `minGlances` glances once glances
   * come) and the head's resting yaw (`restSamples` samples). At 4 analysed frames/s that is ≈ 1.25 s
   * after the first face: a cue given sooner had its answer missed (a blink whose closure the first
   * glances took for their baseline, a turn begun before the rest was known) and the patient,
   * re-cued, ran out of the decision budget.
   */
  get ready(): boolean {
    return (
      this.#samples.length >= 4 && this.#restYaw !== undefined && (this.#glances.length === 0 || this.#glances.length >= this.#p.minGlances)
    );
  }

  /** An action is under way: the eyes are shut (or a blink awaits its next sample) or the head is away from rest. */
  get busy(): boolean {
    return this.#closedSince !== undefined || this.#pending.length > 0 || this.turning;
  }

  /** No cue may come now (the challenge judge's `busy`): an action is under way, or none could be seen yet. */
  get holdsCue(): boolean {
    return this.busy || !this.ready;
  }

  /**
   * Where to glance at the eyes (pipeline/eye-glance.ts): the landmarks of the last analysed sample
   * with the eyes open (closed lids move the eye points, corners included), carried along by the
   * nose's move since then to the last sample (the head sways while blinks follow each other), while
   * the head is not turning; undefined: no glance now.
   */
  get glancePoints(): LivenessSample['face']['landmarks'] | undefined {
    // What it depends on changes only in add(), which brings a new last sample: one computation
    // per analysed sample, however many camera frames are glanced at until the next.
    const last = this.#samples.at(-1);
    if (!this.#glanceFor || this.#glanceFor.last !== last) this.#glanceFor = { last, points: this.#placeGlance(last) };
    return this.#glanceFor.points;
  }

  #placeGlance(last: LivenessSample | undefined): LivenessSample['face']['landmarks'] | undefined {
    const ref = this.#openRef;
    if (this.#turning !== undefined || !ref || !last) return undefined;
    const [dx, dy] = noseMove(ref, last);
    return ref.face.landmarks.map(([x, y]) => [x + dx, y + dy] as const);
  }

  /**
   * A camera frame the pipeline skipped, glanced at (at `glancePoints`) (after the analysed sample before it). Never
   * completes an event itself: a blink that ends here is judged on the next analysed sample.
   */
  glance(g: EyeGlance): void {
    this.#glances.push(g.eyeBrightness);
    if (this.#glances.length > this.#window) this.#glances.shift();
    if (this.#glances.length < this.#p.minGlances || this.#samples.length < 4 || this.#turning !== undefined) {
      this.#lastEyeAt = g.at;
      return;
    }
    const base = [...this.#glances].sort((a, b) => a - b)[Math.floor((this.#glances.length - 1) * 0.25)]!;
    const closure = (g.eyeBrightness - base) / Math.max(this.#p.minEyeGap, 1 - base);
    const eyes = closure >= this.#p.closedClosure ? 'closed' : closure < this.#p.openClosure ? 'open' : 'between';
    this.#eyes(g.at, eyes, undefined, eyes === 'between');
  }

  /**
   * The glances of a blink measured the eyes: from each sample to the next while they were taken the
   * eye corners moved ≤ `maxGlanceShift` (`drift`, the most), and from the open sample `ref` before
   * the blink to `s` after it the skull kept its shape and the head did not turn.
   */
  #glancesHeld(ref: LivenessSample, s: LivenessSample, drift: number): boolean {
    return this.#atRest(s) && drift <= this.#p.maxGlanceShift && this.#keptShape(ref, s);
  }

  /** From the open sample `ref` to `s` the skull kept its shape (`maxBlinkShapeChange`, `maxSparseShapeChange`). */
  #keptShape(ref: LivenessSample, s: LivenessSample): boolean {
    const limit = s.at - ref.at <= this.#p.shapeSpanMs ? this.#p.maxBlinkShapeChange : this.#p.maxSparseShapeChange;
    return similarityResidual(ref.face.landmarks, s.face.landmarks) <= limit;
  }

  #blink(s: LivenessSample): ActionEvent | undefined {
    if (this.#samples.length < 4) {
      this.#lastEyeAt = s.at;
      return undefined;
    }
    const values = (pick: (x: LivenessSample) => number, q: number): number => {
      const v = this.#samples.map(pick).sort((a, b) => a - b);
      return v[Math.floor((v.length - 1) * q)] ?? 0;
    };
    const eyeBase = values((x) => x.face.stats.eyeBrightness, 0.25);
    const earBase = values((x) => x.face.ear, 0.75);
    if (eyeBase <= 0 || earBase <= 0) {
      this.#lastEyeAt = s.at;
      return undefined;
    }
    const closure = (x: LivenessSample): number => (x.face.stats.eyeBrightness - eyeBase) / Math.max(this.#p.minEyeGap, 1 - eyeBase);
    const isOpen = (x: LivenessSample): boolean => closure(x) < this.#p.openClosure && x.face.ear > earBase * 0.92;
    const closed = closure(s) >= this.#p.closedClosure || s.face.ear < earBase * this.#p.closedEar;
    if (closed) this.#openRef ??= this.#samples.slice(0, -1).reverse().find(isOpen);
    const half = closure(s) >= this.#p.openClosure && closure(s) < this.#p.closedClosure;
    return this.#eyes(s.at, closed ? 'closed' : isOpen(s) ? 'open' : 'between', s, half);
  }

  /**
   * One observation of the eyes at `at`: an analysed sample `s`, or a glance (undefined); `half`:
   * the eye statistic between open and closed (not the EAR alone: it stays low for a while after a
   * turn, tanaka-yuki 15 fps seed 10). A blink ends on the first open one after closed ones; one
   * whose end a glance saw waits in `#pending`.
   */
  #eyes(at: number, eyes: 'closed' | 'open' | 'between', s: LivenessSample | undefined, half: boolean): ActionEvent | undefined {
    const prevAt = this.#lastEyeAt;
    this.#lastEyeAt = at;
    if (half && eyes !== 'closed' && this.#closedSince === undefined) {
      this.#halfSince ??= at;
      this.#halfLast = at;
    }
    if (eyes === 'closed') {
      if (this.#closedSince === undefined) {
        this.#closedSince = at;
        this.#closedAfter = prevAt;
        // Half-closed for longer than the lids take to fall: not the lids (`maxLidFallMs`).
        if (this.#halfSince !== undefined && this.#halfLast! - this.#halfSince > this.#p.maxLidFallMs) this.#steady = false;
        this.#halfSince = undefined;
        this.#halfLast = undefined;
      }
      if (this.#closedLast !== undefined) this.#closedGap = Math.max(this.#closedGap, at - this.#closedLast);
      this.#closedLast = at;
      // Only the eyelids may move: the skull keeps its shape and the head does not turn.
      if (!s) this.#glanced = true;
      else if (!this.#openRef || !this.#keptShape(this.#openRef, s) || !this.#atRest(s)) this.#steady = false;
      return undefined;
    }
    if (eyes !== 'open') return undefined;
    this.#halfSince = undefined;
    this.#halfLast = undefined;
    const since = this.#closedSince;
    const last = this.#closedLast;
    const ref = this.#openRef;
    const steady = this.#steady && (!s || this.#atRest(s));
    const gap = this.#closedGap;
    const glanced = this.#glanced;
    const drift = this.#closureDrift;
    this.#closureDrift = 0;
    const openAt = Math.max(ref?.at ?? Number.NEGATIVE_INFINITY, this.#lastOpenGlanceAt);
    this.#closedSince = undefined;
    this.#closedLast = undefined;
    this.#closedGap = 0;
    this.#glanced = false;
    this.#steady = true;
    // The last open analysed sample stays the reference when a glance sees the eyes open.
    if (s) this.#openRef = s;
    else this.#lastOpenGlanceAt = at;
    if (since === undefined || last === undefined || !ref || !steady) return undefined;
    // Closed at least from the first closed observation to the last, at most from open one to open one.
    if (at - openAt < this.#p.minDeliberateMs || at - since > this.#p.maxBlinkMs) return undefined;
    if (s && !this.#keptShape(ref, s)) return undefined;
    const unsure =
      last - since < this.#p.minDeliberateMs ||
      gap > this.#p.maxClosedGapMs ||
      (s !== undefined && glanced && !this.#glancesHeld(ref, s, drift));
    const event: ActionEvent = { kind: 'blink', onset: since, after: this.#closedAfter, at, ...(unsure ? { unsure } : {}) };
    if (s) return event;
    if (this.#pending.length < MAX_PENDING) this.#pending.push({ event, ref, drift });
    return undefined;
  }

  /** The head faces where it rests (a blink is judged only then: a turn changes how the eyes look). */
  #atRest(s: LivenessSample): boolean {
    return (
      this.#restYaw === undefined || (this.#turning === undefined && Math.abs(s.face.pose.yaw - this.#restYaw) < this.#p.restYaw * 1.5)
    );
  }

  #turn(s: LivenessSample): ActionEvent | undefined {
    const yaws = this.#samples.map((x) => x.face.pose.yaw);
    this.#followRest(s);
    if (this.#restYaw === undefined) return undefined;
    const d = s.face.pose.yaw - this.#restYaw;
    if (this.#turning) {
      // The turn is over when the head is back near rest for `turnSamples` samples with the eyes
      // open; then a new turn may start. Samples with the eyes shut do not count either way: the
      // yaw proxy is measured from the eyes, whose landmarks move with the lids — a blink while the
      // head is held turned drops it for a sample or two towards rest (a head resting turned has
      // little room left to the side, so little margin to rest).
      if (this.#closedSince !== undefined) return undefined;
      const back =
        Math.abs(d) < Math.min(this.#p.restYaw * 2, this.turnThreshold(this.#restYaw, this.#turning === 'turn-left' ? 1 : -1) / 2);
      this.#backAtRest = back ? this.#backAtRest + 1 : 0;
      if (this.#backAtRest >= this.#p.turnSamples) {
        this.#turning = undefined;
        this.#backAtRest = 0;
      }
      return undefined;
    }
    const rest = this.#restYaw;
    const beyond = (yaw: number): boolean => Math.sign(yaw - rest) === Math.sign(d) && Math.abs(yaw - rest) >= this.turnThreshold(rest, d);
    const held = yaws.length >= this.#p.turnSamples && yaws.slice(-this.#p.turnSamples).every(beyond);
    if (!held && !this.#glimpsed(rest)) return undefined;
    const kind: ActionKind = d > 0 ? 'turn-left' : 'turn-right';
    this.#turning = kind;
    // Onset: the first sample after the last one at rest.
    let onset = this.#samples[0]!.at;
    let after = Number.NEGATIVE_INFINITY;
    for (let i = this.#samples.length - 2; i >= 0; i--) {
      if (Math.abs(this.#samples[i]!.face.pose.yaw - this.#restYaw) < this.#p.restYaw) {
        onset = this.#samples[i + 1]!.at;
        after = this.#samples[i]!.at;
        break;
      }
    }
    // The samples from the onset on were the turn, not the head at rest.
    const from = this.#restHistory.findIndex((h) => h.at >= onset);
    if (from >= 0) this.#restHistory.splice(from);
    return { kind, onset, after, at: s.at };
  }

  /**
   * Sparse frames: the sample before the last beyond the turn threshold, the last and the one
   * before it away from rest towards the same side, each at least `sparseTurnGapMs` from it.
   */
  #glimpsed(rest: number): boolean {
    const [a, peak, b] = this.#samples.slice(-3);
    if (!a || !peak || !b) return false;
    const d = peak.face.pose.yaw - rest;
    const away = (x: LivenessSample): boolean =>
      Math.sign(x.face.pose.yaw - rest) === Math.sign(d) && Math.abs(x.face.pose.yaw - rest) >= this.#p.restYaw;
    return (
      Math.abs(d) >= this.turnThreshold(rest, d) &&
      away(a) &&
      away(b) &&
      peak.at - a.at >= this.#p.sparseTurnGapMs &&
      b.at - peak.at >= this.#p.sparseTurnGapMs
    );
  }

  /**
   * The resting yaw: at first the median of the first `restSamples`; then the median of the
   * samples taken while no turn was under way between `restLagMs + restWindowMs` and `restLagMs`
   * ago — lagging, so the first part of a turn (before it is recognised) does not drag the rest
   * along with it: a turn is judged from where the head rested before it began. Not re-estimated
   * while a turn is under way: what is left of the history then may be the turn's own slow start (a
   * head resting turned towards a side moves the proxy little as it begins to turn further, so the
   * turn is recognised late and its onset placed late); re-estimated from it, the rest followed the
   * turn and the head back home was never back — every later cue waited (15 frames/s, traced).
   */
  #followRest(s: LivenessSample): void {
    const hist = this.#restHistory;
    if (!this.#turning) hist.push({ at: s.at, yaw: s.face.pose.yaw });
    while (hist.length > this.#window || (hist[0] && hist[0].at < s.at - this.#p.restLagMs - this.#p.restWindowMs)) hist.shift();
    const lagged = hist.filter((h) => h.at <= s.at - this.#p.restLagMs).map((h) => h.yaw);
    if (lagged.length >= this.#p.restSamples && !this.#turning) this.#restYaw = median(lagged);
    else if (this.#restYaw === undefined && this.#samples.length >= this.#p.restSamples)
      this.#restYaw = median(this.#samples.slice(0, this.#p.restSamples).map((x) => x.face.pose.yaw));
  }

  /** The yaw proxy change from `rest` that is a turn towards the side of `d` (its sign). */
  turnThreshold(rest: number, d: number): number {
    const towards = Math.max(0, Math.sign(d) * rest);
    return Math.max(this.#p.minTurnYawFloor, this.#p.minTurnYaw * (1 - towards / this.#p.turnYawRange));
  }
}
