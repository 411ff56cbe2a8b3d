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
 * - any deliberate action while nothing is asked (before a cue, or after a window ran out) is
 *   `unprompted`; one seen moving at the cue or sooner than `minReactionMs` after it is
 *   `early-response`. All three are spoofs. Spontaneous blinks are not deliberate (actions.ts: the
 *   lids stay down < 150 ms) and are not judged at all.
 * So the deliberate actions of a recording, taken in order, must be exactly the drawn sequence,
 * each begun in its window: every recording answers at most one sequence, and
 * `replayChanceBound` is a true upper bound on its chance of passing one challenge (proved on
 * replayed recordings by test/cli/commands/bench/replay-draws.test.ts).
 *
 * Waits are counted in time the face is usable and still (no guidance problem, no action under
 * way): a recording that hides its face until the wait must be over cannot learn when the cue comes.
 * A cue not answered in its window is given again `maxRecues` times after a new wait.
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
  /** The asked action must have begun by this long after its cue. */
  readonly maxOnsetMs: number;
  /** The blinks of one answer begin within this of the previous one's end; none may begin within it after the last. */
  readonly betweenBlinksMs: number;
  /** A cue nobody answered is given again this many times (per step). */
  readonly maxRecues: number;
  /**
   * Two usable samples further apart than this add only this much waiting time (what was not seen
   * is not counted in full): frames as sparse as a loaded Pi's stretch the waits, never the bound.
   */
  readonly maxSampleGapMs: number;
}

/**
 * The shipped challenge, chosen in docs/benchmarks/face.md ("Liveness against replays"): the
 * configuration with `replayChanceBound` ≤ 0.1 % that took the least time for the simulated
 * patients (`kaoreader bench face-liveness --seeds 10`, 7 Dec 2026): bound 0.0995 %, replays measured
 * 84 in 100,000 draws, live 49/50, p50 9.1 s, p95 10.3 s. Four steps over five cues: 528 sequences;
 * the first cue's wait is spread over 2,001 ms, for the factor (900 ms window + 150 ms gap + 1) / 2,001.
 * Against it: 4 cues without the spread (bound 0.19 %, p95 9.0 s) and 5 cues (0.035 %, p95 11.7 s,
 * live 48/50). The window is fitted to visual choice reaction times (docs/face-models.md, "Liveness:
 * the challenge") and to the simulated patients' 450–870 ms.
 */
export const DEFAULT_CHALLENGE_POLICY: ChallengePolicy = {
  steps: 4,
  maxBlinks: 3,
  delayMs: [
    [100, 2100],
    [100, 300],
  ],
  minReactionMs: 250,
  maxOnsetMs: 1150,
  betweenBlinksMs: 600,
  maxRecues: 0,
  maxSampleGapMs: 150,
};

/** A drawn challenge and the policy it is judged by. */
export interface Challenge {
  readonly steps: readonly ChallengeStep[];
  readonly policy: ChallengePolicy;
}

const stepsOf = (p: ChallengePolicy): number => Math.min(6, Math.max(2, Math.floor(p.steps)));
const cuesOf = (p: ChallengePolicy): readonly ChallengeCue[] => [
  ...BLINK_CUES.slice(0, Math.min(3, Math.max(1, Math.floor(p.maxBlinks)))),
  ...TURN_CUES,
];
const delayOf = (p: ChallengePolicy, i: number): DelayRange => p.delayMs[Math.min(i, p.delayMs.length - 1)] ?? [100, 300];

/** How many cue sequences a challenge is drawn from: `steps` cues, at least one turn and one blink. */
export function sequenceCount(p: ChallengePolicy): number {
  const n = stepsOf(p);
  const blinks = cuesOf(p).length - TURN_CUES.length;
  return (blinks + TURN_CUES.length) ** n - blinks ** n - TURN_CUES.length ** n;
}

/** The `index`-th (0-based) sequence with a turn and a blink, in base-|cues| order (at most 8⁶ looked at). */
function sequenceAt(p: ChallengePolicy, index: number): ChallengeCue[] {
  const cues = cuesOf(p);
  const n = stepsOf(p);
  let left = index;
  for (let code = 0; code < cues.length ** n; code++) {
    const seq = Array.from({ length: n }, (_, i) => cues[Math.floor(code / cues.length ** i) % cues.length]!);
    const turns = seq.filter((c) => blinksAsked(c) === 0).length;
    if (turns === 0 || turns === n) continue;
    if (left-- === 0) return seq;
  }
  throw new RangeError(`no cue sequence ${index} of ${sequenceCount(p)}`);
}

/** Draws a challenge: one of the `sequenceCount` sequences, uniformly, and the wait before each cue. */
export function drawChallenge(p: ChallengePolicy, random: RandomInt): Challenge {
  const delay = ([lo, hi]: DelayRange): number => lo + random(hi - lo + 1);
  const seq = sequenceAt(p, random(sequenceCount(p)));
  return { policy: p, steps: seq.map((cue, i) => ({ cue, delayMs: delay(delayOf(p, i)) })) };
}

/**
 * An upper bound on the chance that a recording — which cannot see the screen — passes one
 * challenge. Its deliberate actions are fixed, and answers are exact, so it matches at most one
 * sequence: ≤ 1 / `sequenceCount`. Each step's cue must also fall where the recording's action
 * begins `minReactionMs`–`maxOnsetMs` later: for a wait drawn uniformly from S + 1 whole
 * milliseconds and counted in usable time, at most (W + gap + 1) / (S + 1) of the draws put it
 * there (W the window's width, gap the most one stretch between samples counts as waiting), once per cue
 * given (`maxRecues` + 1); steps' waits are drawn independently.
 */
export function replayChanceBound(p: ChallengePolicy): number {
  const window = p.maxOnsetMs - p.minReactionMs;
  let timing = 1;
  for (let i = 0; i < stepsOf(p); i++) {
    const [lo, hi] = delayOf(p, i);
    timing *= Math.min(1, ((1 + p.maxRecues) * (window + p.maxSampleGapMs + 1)) / (hi - lo + 1));
  }
  return timing / sequenceCount(p);
}

export type ChallengeFailure = 'unprompted' | 'early-response' | 'wrong-response';

export interface ChallengeStatus {
  /** `closing`: the blinks asked are done, none more may come yet. */
  readonly state: 'waiting' | 'cued' | 'closing' | 'passed' | 'failed';
  /** The step under way (0-based), steps done when passed. */
  readonly step: number;
  /** What the patient is asked to do now (while cued). */
  readonly cue?: ChallengeCue;
  readonly failure?: ChallengeFailure;
}

const wanted = (cue: ChallengeCue): ActionEvent['kind'] =>
  blinksAsked(cue) > 0 ? 'blink' : cue === 'turn-left' ? 'turn-left' : 'turn-right';

export class ChallengeJudge {
  readonly #steps: readonly ChallengeStep[];
  readonly #p: ChallengePolicy;
  #step = 0;
  #state: ChallengeStatus['state'] = 'waiting';
  #failure: ChallengeFailure | undefined;
  /** A usable face has been seen: from then on actions are judged. */
  #started = false;
  /** Usable, still time waited for the current cue (gaps capped), and the last sample that counted. */
  #waited = 0;
  #lastReady: number | undefined;
  #cuedAt = 0;
  #recues = 0;
  /** Blinks counted for the current answer, and when the last one ended. */
  #blinks = 0;
  #lastBlinkAt = 0;

  constructor(challenge: Challenge) {
    this.#steps = challenge.steps;
    this.#p = challenge.policy;
  }

  status(): ChallengeStatus {
    const s = this.#steps[this.#step];
    return {
      state: this.#state,
      step: this.#step,
      ...(this.#state === 'cued' && s ? { cue: s.cue } : {}),
      ...(this.#failure ? { failure: this.#failure } : {}),
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
    if (this.#state === 'closing' && !busy && at > this.#lastBlinkAt + this.#p.betweenBlinksMs) this.#next();
    if (this.#state === 'waiting') {
      const prev = this.#lastReady;
      if (ready && prev !== undefined) this.#waited += Math.min(at - prev, this.#p.maxSampleGapMs);
      if (ready && this.#waited >= (this.#steps[this.#step]?.delayMs ?? 0)) {
        this.#state = 'cued';
        this.#cuedAt = at;
        this.#blinks = 0;
      }
    } else if (this.#state === 'cued' && !busy) {
      if (this.#blinks === 0 && at - this.#cuedAt > this.#p.maxOnsetMs && this.#recues < this.#p.maxRecues) {
        // Nothing begun in the window: ask again after a new wait.
        this.#recues++;
        this.#wait();
      } else if (this.#blinks > 0 && at - this.#lastBlinkAt > this.#p.betweenBlinksMs) this.#fail('wrong-response'); // fewer blinks than asked
    }
    this.#lastReady = ready ? at : undefined;
  }

  /** A deliberate action was seen. */
  event(e: ActionEvent): void {
    const s = this.#steps[this.#step];
    if (!s || this.#state === 'passed' || this.#state === 'failed' || !this.#started) return;
    if (this.#state === 'closing') {
      // One blink more than asked (or anything else before the next cue).
      this.#fail(e.kind === 'blink' && e.onset <= this.#lastBlinkAt + this.#p.betweenBlinksMs ? 'wrong-response' : 'unprompted');
      return;
    }
    if (this.#state === 'waiting') {
      this.#fail('unprompted');
      return;
    }
    if (this.#blinks > 0) {
      // The next blink of an answer under way.
      if (e.kind !== 'blink' || e.onset > this.#lastBlinkAt + this.#p.betweenBlinksMs) this.#fail('wrong-response');
      else this.#blink(e, s);
      return;
    }
    if (e.after < this.#cuedAt || e.onset < this.#cuedAt + this.#p.minReactionMs) this.#fail('early-response');
    else if (e.kind !== wanted(s.cue) || e.onset > this.#cuedAt + this.#p.maxOnsetMs) this.#fail('wrong-response');
    else if (e.kind === 'blink') this.#blink(e, s);
    else this.#next();
  }

  #blink(e: ActionEvent, s: ChallengeStep): void {
    this.#blinks++;
    this.#lastBlinkAt = e.at;
    if (this.#blinks === blinksAsked(s.cue)) this.#state = 'closing';
  }

  #next(): void {
    this.#step++;
    this.#blinks = 0;
    this.#recues = 0;
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
  }

  #fail(f: ChallengeFailure): void {
    this.#state = 'failed';
    this.#failure = f;
  }
}
