/**
 * The active liveness challenge: a few cued actions the patient does on request — blink once,
 * twice or three times, turn the head to their left or right — drawn with a CSPRNG for every
 * attempt, each cued after a random wait, each to be begun within a response window after its cue.
 * A recording cannot know which action comes, how many times, or when.
 *
 * Answers are exact, so a recording's extra actions refuse it:
 * - "blink N times" is N deliberate blinks, each begun within `betweenBlinksMs` of the previous
 *   one's end, the first in the response window, and then no further deliberate blink begun within
 *   `betweenBlinksMs` (the closing window): fewer or more is `wrong-response`;
 * - a turn is that turn, begun in the window; another action there is `wrong-response`;
 * - any deliberate action while nothing is asked (before a cue, or after an answer) is
 *   `unprompted`; one seen moving sooner than `minReactionMs` after the cue was on the screen
 *   (or before it) is `early-response`. All three are spoofs. Spontaneous blinks are not deliberate
 *   (actions.ts: the lids seen down < 150 ms) and are not judged at all.
 * - an action first seen `minReactionMs` or more after the cue, but after a gap in the frames that
 *   spans the cue (the sample before it is older than the cue: the worker was enrolling the chip
 *   photo, the reader was loaded), may have begun before the cue or after it: when it is the asked
 *   action it is taken as a late answer (below), never as a refusal — a live patient answering on
 *   time across such a gap was refused as a spoof; any other action is still `early-response`.
 * - the asked action, exactly, begun after the window: a late answer is no answer and no spoof (a
 *   slow patient, a hint drawn late): the step is cued again, with a fresh random cue drawn among
 *   the sequences that still fit and a new wait, at most `maxRecues` times per attempt; after that
 *   a late answer is let pass unjudged (the step cannot pass any more: the budget ends it).
 * - a blink of unknown length (sparse frames: actions.ts `unsure`) is neither an answer nor a
 *   refusal; a count of blinks that falls short with one among them is not refused either, but
 *   that cue can no longer pass.
 *
 * The window counts from when the hint was on the screen: the display reports it (`awaitDrawn`,
 * the time on the camera frames' timeline); deliberate actions seen meanwhile wait for that report
 * and are then judged against it. Where nothing reports (the benches' virtual-time sessions), the
 * window counts from the frame that cued it.
 *
 * So the deliberate actions of a recording, taken in order, must be exactly the cues given: every
 * late answer the cue it came after, every other answer the cue of its step, in its window.
 * `replayChanceBound` is a true upper bound on a recording's chance of passing one challenge
 * (checked on replayed recordings by test/cli/commands/bench/replay-draws.test.ts).
 *
 * Waits are counted in time the face is usable and still (no guidance problem, no action under
 * way): a recording that hides its face until the wait must be over cannot learn when the cue comes.
 * At least one step is a head turn (a photo — flat, bent, or with its eyes cut out — cannot turn)
 * and at least one a blink (a bent print can be turned, not made to blink).
 */
import type { ActionEvent } from './actions.ts';

export type ChallengeCue = 'blink-once' | 'blink-twice' | 'blink-thrice' | 'turn-left' | 'turn-right';
export const CHALLENGE_CUES: readonly ChallengeCue[] = ['blink-once', 'blink-twice', 'blink-thrice', 'turn-left', 'turn-right'];
const BLINK_CUES: readonly ChallengeCue[] = ['blink-once', 'blink-twice', 'blink-thrice'];
const TURN_CUES: readonly ChallengeCue[] = ['turn-left', 'turn-right'];

/** Blinks a cue asks for (0: a turn). */
export const blinksAsked = (cue: ChallengeCue): number => BLINK_CUES.indexOf(cue) + 1;
/** `kind` when it names a cue (a guidance kind the patient is asked to act on), else undefined. */
export const asChallengeCue = (kind: string): ChallengeCue | undefined => CHALLENGE_CUES.find((c) => c === kind);

/** An integer in [0, max) (crypto.randomInt in the product). */
export type RandomInt = (max: number) => number;

export type DelayRange = readonly [number, number];

export interface ChallengeStep {
  readonly cue: ChallengeCue;
  /** Wait before the cue, ms of usable, still face, from the first usable face (first step) or the previous step's end. */
  readonly delayMs: number;
}

export interface ChallengePolicy {
  /** Cued actions per attempt (2–6). */
  readonly steps: number;
  /** "Blink N times" is asked for N from 1 to this (1–3). */
  readonly maxBlinks: number;
  /** Range of the random wait before the cue of step i (`delayMs[i]`, the last range for the steps after). */
  readonly delayMs: readonly DelayRange[];
  /** An action begun sooner than this after its cue is no reaction to it. */
  readonly minReactionMs: number;
  /** The asked action must have begun by this long after its cue; begun later, it is a late answer. */
  readonly maxOnsetMs: number;
  /** The blinks of one answer begin within this of the previous one's end; none may begin within it after the last. */
  readonly betweenBlinksMs: number;
  /** Late answers that bring a fresh cue, per attempt (0–3). */
  readonly maxRecues: number;
  /**
   * Two usable samples further apart than this add only this much waiting time (what was not seen
   * is not counted in full): frames as sparse as a loaded Pi's stretch the waits.
   */
  readonly maxSampleGapMs: number;
  /**
   * Two samples further apart than this may hide a whole deliberate blink between them (one made on
   * request keeps the lids down 250 ms and more): a count of blinks that falls short after such a
   * gap is not refused (the missing blink may be in it), but that cue can no longer pass.
   */
  readonly missedBlinkGapMs: number;
}

/**
 * The shipped challenge, chosen in docs/benchmarks/face.md ("Liveness against replays"): five
 * steps over five cues (2,850 sequences) and one late answer re-cued per attempt, for
 * `replayChanceBound` 0.088 % (≤ 0.1 %) without counting on when a cue comes (the hint reaches
 * the screen after a delay no bound can fix); the waits (100–300 ms) are random all the same. The window is fitted to visual choice reaction times (docs/face-models.md, "Liveness:
 * the challenge") and to the simulated patients' 300–600 ms after the hint is drawn.
 */
export const DEFAULT_CHALLENGE_POLICY: ChallengePolicy = {
  steps: 5,
  maxBlinks: 3,
  delayMs: [[100, 300]],
  minReactionMs: 250,
  maxOnsetMs: 1150,
  betweenBlinksMs: 600,
  maxRecues: 1,
  maxSampleGapMs: 150,
  missedBlinkGapMs: 250,
};

/** A drawn challenge, the policy it is judged by, and the source its fresh cues are drawn from. */
export interface Challenge {
  readonly steps: readonly ChallengeStep[];
  readonly policy: ChallengePolicy;
  readonly random: RandomInt;
}

const stepsOf = (p: ChallengePolicy): number => Math.min(6, Math.max(2, Math.floor(p.steps)));
const recuesOf = (p: ChallengePolicy): number => Math.min(3, Math.max(0, Math.floor(p.maxRecues)));
const blinkCuesOf = (p: ChallengePolicy): number => Math.min(3, Math.max(1, Math.floor(p.maxBlinks)));
const cuesOf = (p: ChallengePolicy): readonly ChallengeCue[] => [...BLINK_CUES.slice(0, blinkCuesOf(p)), ...TURN_CUES];
const delayOf = (p: ChallengePolicy, i: number): DelayRange => p.delayMs[Math.min(i, p.delayMs.length - 1)] ?? [100, 300];

/**
 * Sequences of `n` more cues that complete a prefix into one with a turn and a blink (`turn`,
 * `blink`: the prefix has one), `blinks` blink cues to choose from.
 */
function completions(n: number, blinks: number, turn: boolean, blink: boolean): number {
  const all = (blinks + TURN_CUES.length) ** n;
  if (turn && blink) return all;
  if (turn) return all - TURN_CUES.length ** n; // one blink still needed
  if (blink) return all - blinks ** n; // one turn still needed
  return all - blinks ** n - TURN_CUES.length ** n + (n === 0 ? 1 : 0);
}

/** How many cue sequences a challenge is drawn from: `steps` cues, at least one turn and one blink. */
export function sequenceCount(p: ChallengePolicy): number {
  return completions(stepsOf(p), blinkCuesOf(p), false, false);
}

/**
 * The steps from `prefix.length` on, drawn uniformly among the completions of `prefix` to a
 * sequence with a turn and a blink (one draw of an index, walked cue by cue), with their waits.
 */
function drawFrom(p: ChallengePolicy, prefix: readonly ChallengeCue[], random: RandomInt): ChallengeStep[] {
  const n = stepsOf(p);
  const b = blinkCuesOf(p);
  let turn = prefix.some((c) => blinksAsked(c) === 0);
  let blink = prefix.some((c) => blinksAsked(c) > 0);
  let left = random(completions(n - prefix.length, b, turn, blink));
  const seq: ChallengeCue[] = [];
  for (let i = prefix.length; i < n; i++) {
    for (const cue of cuesOf(p)) {
      const t = turn || blinksAsked(cue) === 0;
      const k = blink || blinksAsked(cue) > 0;
      const count = completions(n - i - 1, b, t, k);
      if (left < count) {
        seq.push(cue);
        turn = t;
        blink = k;
        break;
      }
      left -= count;
    }
  }
  if (seq.length !== n - prefix.length) throw new RangeError(`no cue sequence completes ${prefix.join(',')}`);
  const delay = ([lo, hi]: DelayRange): number => lo + random(hi - lo + 1);
  return seq.map((cue, k) => ({ cue, delayMs: delay(delayOf(p, prefix.length + k)) }));
}

/** Draws a challenge: one of the `sequenceCount` sequences, uniformly, and the wait before each cue. */
export function drawChallenge(p: ChallengePolicy, random: RandomInt): Challenge {
  return { policy: p, random, steps: drawFrom(p, [], random) };
}

/**
 * The most likely cue at step `i` given any prefix the steps before may have passed with: a cue
 * drawn afresh there is a given one with at most this chance.
 */
function likeliestCue(p: ChallengePolicy, i: number): number {
  const n = stepsOf(p);
  const b = blinkCuesOf(p);
  let most = 0;
  for (const [turn, blink] of [
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ] as const) {
    if ((i === 0) !== (!turn && !blink) || (i === 1 && turn && blink)) continue;
    const all = completions(n - i, b, turn, blink);
    if (all === 0) continue;
    most = Math.max(most, completions(n - i - 1, b, turn, true) / all, completions(n - i - 1, b, true, blink) / all);
  }
  return most;
}

/**
 * An upper bound on the chance that a recording — which cannot see the screen — passes one
 * challenge. Its deliberate actions are fixed and answers are exact. Take one way the attempt can
 * go: which steps got a late answer (at most `maxRecues` in all). Then every cue given must be the
 * action the recording does next: the cue each step passes with (cue i drawn uniformly among the
 * completions of the steps before: these chances multiply to 1 / `sequenceCount`) and every cue
 * answered late (drawn afresh at step i: at most `likeliestCue(i)`). Summed over the ways:
 * Σ over multisets of late steps of Π likeliestCue, ÷ `sequenceCount`. When the cue comes is not
 * counted: the hint reaches the screen after a delay the bound cannot fix.
 */
export function replayChanceBound(p: ChallengePolicy): number {
  // ways[k]: the sum over multisets of k late steps (among the steps seen so far) of their chances.
  let ways = [1, ...Array<number>(recuesOf(p)).fill(0)];
  for (let i = 0; i < stepsOf(p); i++) {
    const q = likeliestCue(p, i);
    ways = ways.map((_, k) => ways.slice(0, k + 1).reduce((sum, w, j) => sum + w * q ** (k - j), 0));
  }
  return ways.reduce((a, b) => a + b, 0) / sequenceCount(p);
}

export type ChallengeFailure = 'unprompted' | 'early-response' | 'wrong-response';

export interface ChallengeStatus {
  /** `closing`: the blinks asked are done, none more may come yet. */
  readonly state: 'waiting' | 'cued' | 'closing' | 'passed' | 'failed';
  /** The step under way (0-based), steps done when passed. */
  readonly step: number;
  /** What the patient is asked to do now (while cued). */
  readonly cue?: ChallengeCue;
  /** Cues given again after a late answer so far. */
  readonly recues: number;
  readonly failure?: ChallengeFailure;
}

/** Deliberate actions seen while a cue waits for its hint to be drawn, judged once it is (more: refused). */
const MAX_HELD_EVENTS = 8;

const wanted = (cue: ChallengeCue): ActionEvent['kind'] =>
  blinksAsked(cue) > 0 ? 'blink' : cue === 'turn-left' ? 'turn-left' : 'turn-right';

export class ChallengeJudge {
  #steps: readonly ChallengeStep[];
  readonly #p: ChallengePolicy;
  readonly #random: RandomInt;
  #step = 0;
  #state: ChallengeStatus['state'] = 'waiting';
  #failure: ChallengeFailure | undefined;
  /** A usable face has been seen: from then on actions are judged. */
  #started = false;
  /** Usable, still time waited for the current cue (gaps capped), and the last sample that counted. */
  #waited = 0;
  #lastReady: number | undefined;
  /** Cues given so far (each cue's number), and when the current one's window counts from. */
  #cues = 0;
  #cuedAt = 0;
  /**
   * `open`: the window counts from the cue (nobody reports drawing its hint); `awaiting`: the hint
   * is on its way to the screen; `drawn`: it counts from when it was drawn.
   */
  #window: 'open' | 'awaiting' | 'drawn' = 'open';
  #held: ActionEvent[] = [];
  #recues = 0;
  /** The answer under way began after its window: it brings a fresh cue. */
  #late = false;
  /**
   * The cue can no longer be passed: answered late with no fresh cue left, or its blinks fell
   * short with a blink of unknown length among them. The asked action is let pass unjudged from
   * then on (another still refuses); the budget ends the attempt.
   */
  #spent = false;
  /** A blink of unknown length (actions.ts `unsure`) was seen since the cue, or a gap in the samples that may hide one since the last blink counted. */
  #unsure = false;
  /** Capture time of the last sample. */
  #lastSample: number | undefined;
  /** Blinks counted for the current answer, and when the last one ended. */
  #blinks = 0;
  #lastBlinkAt = 0;

  constructor(challenge: Challenge) {
    this.#steps = challenge.steps;
    this.#p = challenge.policy;
    this.#random = challenge.random;
  }

  status(): ChallengeStatus {
    const s = this.#steps[this.#step];
    return {
      state: this.#state,
      step: this.#step,
      ...(this.#state === 'cued' && s ? { cue: s.cue } : {}),
      recues: this.#recues,
      ...(this.#failure ? { failure: this.#failure } : {}),
    };
  }

  /**
   * The current cue's hint is on its way to a screen that reports when it is drawn: its window
   * opens at the time given to the callback returned (on the timeline of the samples' capture
   * times; undefined: that drawing never happened — another screen came first). Until one such
   * report, actions are held. The first report for a cue opens its window; the callback of a cue
   * no longer current does nothing.
   */
  awaitDrawn(): (drawnAt: number | undefined) => void {
    const cue = this.#cues;
    if (this.#state !== 'cued' || this.#blinks > 0 || this.#late || this.#spent || this.#window === 'drawn') return () => undefined;
    this.#window = 'awaiting';
    return (drawnAt) => {
      if (drawnAt === undefined || cue !== this.#cues || this.#state !== 'cued' || this.#window !== 'awaiting') return;
      this.#window = 'drawn';
      this.#cuedAt = Math.max(this.#cuedAt, drawnAt);
      const held = this.#held;
      this.#held = [];
      for (const e of held) this.event(e);
    };
  }

  /**
   * Time passes: a sample captured at `at`; `usable` when its face is good enough to be asked
   * anything, `busy` while an action is under way (eyes shut, head away from rest).
   */
  tick(at: number, usable: boolean, busy = false): void {
    const s = this.#steps[this.#step];
    if (!s || this.#state === 'passed' || this.#state === 'failed') return;
    if (!this.#started) {
      if (!usable) return;
      this.#started = true;
    }
    const ready = usable && !busy;
    const gap = this.#lastSample === undefined ? 0 : at - this.#lastSample;
    this.#lastSample = at;
    if (this.#state === 'cued' && this.#blinks > 0 && gap > this.#p.missedBlinkGapMs) this.#unsure = true;
    if (this.#state === 'closing' && !busy && at > this.#lastBlinkAt + this.#p.betweenBlinksMs) this.#answered();
    if (this.#state === 'waiting') {
      const prev = this.#lastReady;
      if (ready && prev !== undefined) this.#waited += Math.min(at - prev, this.#p.maxSampleGapMs);
      if (ready && this.#waited >= (this.#steps[this.#step]?.delayMs ?? 0)) {
        this.#state = 'cued';
        this.#cues++;
        this.#cuedAt = at;
        this.#window = 'open';
        this.#blinks = 0;
        this.#late = false;
        this.#spent = false;
        this.#unsure = false;
      }
    } else if (this.#state === 'cued' && !busy && this.#blinks > 0 && at - this.#lastBlinkAt > this.#p.betweenBlinksMs) {
      // Fewer blinks than asked: a spoof, unless one of unknown length, or one hidden in a gap
      // between samples, may have been the missing one.
      if (this.#unsure) this.#spend();
      else this.#fail('wrong-response');
    }
    this.#lastReady = ready ? at : undefined;
  }

  /** A deliberate action was seen. */
  event(e: ActionEvent): void {
    const s = this.#steps[this.#step];
    if (!s || this.#state === 'passed' || this.#state === 'failed' || !this.#started) return;
    if (e.unsure) {
      // Never an answer nor a refusal: it keeps a count that falls short from refusing, and the
      // blinks of an answer under way from being too far apart.
      if (this.#state !== 'cued') return;
      if (this.#window === 'awaiting') {
        if (this.#held.length < MAX_HELD_EVENTS) this.#held.push(e);
        return;
      }
      this.#unsure = true;
      if (this.#blinks > 0 && e.onset <= this.#lastBlinkAt + this.#p.betweenBlinksMs) this.#lastBlinkAt = e.at;
      return;
    }
    if (this.#state === 'closing') {
      // One blink more than asked (or anything else before the next cue).
      this.#fail(e.kind === 'blink' && e.onset <= this.#lastBlinkAt + this.#p.betweenBlinksMs ? 'wrong-response' : 'unprompted');
      return;
    }
    if (this.#state === 'waiting') {
      this.#fail('unprompted');
      return;
    }
    if (this.#window === 'awaiting') {
      if (this.#held.length < MAX_HELD_EVENTS) this.#held.push(e);
      else this.#fail('unprompted');
      return;
    }
    if (this.#spent) {
      if (e.kind !== wanted(s.cue)) this.#fail('wrong-response');
      return;
    }
    if (this.#blinks > 0) {
      // The next blink of an answer under way; begun too long after the last one, it is another
      // answer — unless a blink may have been missed between them (then the count is unknown).
      if (e.kind !== 'blink') this.#fail('wrong-response');
      else if (e.onset <= this.#lastBlinkAt + this.#p.betweenBlinksMs) this.#blink(e, s);
      else if (this.#unsure || e.onset - e.after > this.#p.missedBlinkGapMs) this.#spend();
      else this.#fail('wrong-response');
      return;
    }
    // Unplaced: first seen after a gap in the frames that spans the cue (the worker enrolling the
    // chip photo, a loaded reader), so it may have begun before the cue was on the screen, or after.
    const unplaced = e.after < this.#cuedAt;
    if (e.onset < this.#cuedAt + this.#p.minReactionMs) this.#fail('early-response');
    else if (e.kind !== wanted(s.cue)) this.#fail(unplaced ? 'early-response' : 'wrong-response');
    else {
      // The asked action, begun after its window or at a time the frames cannot place: no answer.
      const late = unplaced || e.onset > this.#cuedAt + this.#p.maxOnsetMs;
      if (late && this.#recues >= recuesOf(this.#p)) this.#spend();
      else {
        this.#late = late;
        if (e.kind === 'blink') this.#blink(e, s);
        else this.#answered();
      }
    }
  }

  #blink(e: ActionEvent, s: ChallengeStep): void {
    this.#blinks++;
    this.#lastBlinkAt = e.at;
    if (this.#blinks === blinksAsked(s.cue)) this.#state = 'closing';
  }

  /** The cue stays on the screen and can no longer be passed (`#spent`). */
  #spend(): void {
    this.#spent = true;
    this.#blinks = 0;
    this.#late = false;
  }

  /** The asked action is done: the next step, or, after a late answer, a fresh cue. */
  #answered(): void {
    const late = this.#late;
    this.#blinks = 0;
    this.#late = false;
    if (late) {
      this.#recues++;
      const prefix = this.#steps.slice(0, this.#step).map((x) => x.cue);
      this.#steps = [...this.#steps.slice(0, this.#step), ...drawFrom(this.#p, prefix, this.#random)];
      this.#wait();
      return;
    }
    this.#step++;
    if (this.#step >= this.#steps.length) {
      this.#state = 'passed';
      return;
    }
    this.#wait();
  }

  #wait(): void {
    this.#state = 'waiting';
    this.#waited = 0;
    this.#lastReady = undefined;
    this.#held = [];
  }

  #fail(f: ChallengeFailure): void {
    this.#state = 'failed';
    this.#failure = f;
  }
}
