/**
 * The active liveness challenge: a few cued actions the patient does on request — blink once,
 * blink twice, turn the head to their left or right — drawn with a CSPRNG for every attempt, each
 * cued after a random wait, each to be begun within a response window after its cue. A recording
 * cannot know which action comes, how many times, or when: the action it happens to show must be
 * the one asked, begun in the window, with nothing deliberate before the cue.
 *
 * The judge's rules, per step:
 * - waiting (the face is usable, the cue not yet due): a deliberate action postpones the cue once;
 *   a second one is an unprompted action (`unprompted`: spoof);
 * - cued: the first deliberate action begun after the cue decides (one that may have begun before
 *   it — its last still sample comes before the cue — is no answer to it: with sparse frames a
 *   patient's reaction and the cue can fall between the same two samples). Certainly begun after
 *   the cue but sooner than a person can react (`minReactionMs`) is `early-response`, another
 *   action than asked is `wrong-response` (both spoof); the asked one begun in the window completes the step (a second blink within
 *   `betweenBlinksMs` of the first, for "twice"). Nothing begun in the window: the cue is given
 *   again once after a new wait (the patient may have looked away), then the attempt runs out.
 * The action just asked for, done again soon after its step (`repeatGraceMs`: a patient still
 * answering the last cue), is ignored in either state.
 * At least one step is a head turn: the one thing a photo — flat, bent, or with its eyes cut out
 * and someone blinking behind them — cannot do on request.
 */
import type { ActionEvent } from './actions.ts';

export type ChallengeCue = 'blink-once' | 'blink-twice' | 'turn-left' | 'turn-right';
export const CHALLENGE_CUES: readonly ChallengeCue[] = ['blink-once', 'blink-twice', 'turn-left', 'turn-right'];
/** `kind` when it names a cue (a guidance kind the patient is asked to act on), else undefined. */
export const asChallengeCue = (kind: string): ChallengeCue | undefined => CHALLENGE_CUES.find((c) => c === kind);

/** An integer in [0, max) (crypto.randomInt in the product). */
export type RandomInt = (max: number) => number;

export interface ChallengeStep {
  readonly cue: ChallengeCue;
  /** Wait before the cue, from the first usable face (first step) or the previous step. */
  readonly delayMs: number;
}

export interface ChallengePolicy {
  /** Cued actions per attempt. */
  readonly steps: number;
  /** Range of the random wait before the first cue, from the first usable face, ms… */
  readonly delayMs: readonly [number, number];
  /** …and before each further cue, from the previous step's end. */
  readonly nextDelayMs: readonly [number, number];
  /** An action begun sooner than this after its cue is not a reaction to it. */
  readonly minReactionMs: number;
  /** The asked action must have begun by this long after its cue. */
  readonly maxOnsetMs: number;
  /** For "twice": the second blink begins within this of the first one's end. */
  readonly betweenBlinksMs: number;
  /** A cue nobody answered is given again this many times (per step). */
  readonly maxRecues: number;
  /** The action just asked for, done again within this long after the step (a patient still answering it), is no new action. */
  readonly repeatGraceMs: number;
}

export const DEFAULT_CHALLENGE_POLICY: ChallengePolicy = {
  steps: 2,
  delayMs: [100, 400],
  nextDelayMs: [50, 300],
  minReactionMs: 150,
  maxOnsetMs: 1500,
  betweenBlinksMs: 1000,
  maxRecues: 1,
  repeatGraceMs: 1500,
};

/** Draws a challenge: `steps` cues, at least one a turn, and their waits. */
export function drawChallenge(p: ChallengePolicy, random: RandomInt): ChallengeStep[] {
  const delay = ([lo, hi]: readonly [number, number]): number => lo + random(hi - lo + 1);
  const steps = Array.from({ length: Math.max(1, p.steps) }, (_, i) => ({
    cue: CHALLENGE_CUES[random(CHALLENGE_CUES.length)]!,
    delayMs: delay(i === 0 ? p.delayMs : p.nextDelayMs),
  }));
  if (!steps.some((s) => s.cue.startsWith('turn'))) {
    const i = random(steps.length);
    steps[i] = { ...steps[i]!, cue: random(2) === 0 ? 'turn-left' : 'turn-right' };
  }
  return steps;
}

export type ChallengeFailure = 'unprompted' | 'early-response' | 'wrong-response';

export interface ChallengeStatus {
  readonly state: 'waiting' | 'cued' | 'passed' | 'failed';
  /** The step under way (0-based), steps done when passed. */
  readonly step: number;
  /** What the patient is asked to do now (while cued). */
  readonly cue?: ChallengeCue;
  readonly failure?: ChallengeFailure;
}

const wanted = (cue: ChallengeCue): ActionEvent['kind'] => (cue === 'turn-left' || cue === 'turn-right' ? cue : 'blink');

export class ChallengeJudge {
  readonly #steps: readonly ChallengeStep[];
  readonly #p: ChallengePolicy;
  #step = 0;
  #state: ChallengeStatus['state'] = 'waiting';
  #failure: ChallengeFailure | undefined;
  /** When the current step's cue is due (undefined until the first usable face). */
  #dueAt: number | undefined;
  #cuedAt = 0;
  #postponed = false;
  #recues = 0;
  #blinks: ActionEvent[] = [];
  /** The action that completed the previous step, and when. */
  #done: { readonly kind: ActionEvent['kind']; readonly at: number } | undefined;

  constructor(steps: readonly ChallengeStep[], policy: ChallengePolicy = DEFAULT_CHALLENGE_POLICY) {
    this.#steps = steps;
    this.#p = policy;
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

  /** Time passes: a frame captured at `at`; `usable` when its face is good enough to be asked anything. */
  tick(at: number, usable: boolean): void {
    const s = this.#steps[this.#step];
    if (!s) return;
    if (this.#state === 'waiting') {
      if (this.#dueAt === undefined) {
        if (usable) this.#dueAt = at + s.delayMs;
        return;
      }
      if (at >= this.#dueAt && usable) {
        this.#state = 'cued';
        this.#cuedAt = at;
        this.#blinks = [];
      }
      return;
    }
    if (this.#state === 'cued' && this.#blinks.length === 0 && at - this.#cuedAt > this.#p.maxOnsetMs) {
      // Nothing begun in the window: ask again after a new wait, once.
      if (this.#recues >= this.#p.maxRecues) return;
      this.#recues++;
      this.#state = 'waiting';
      this.#dueAt = at + s.delayMs;
    }
  }

  /** A deliberate action was seen. */
  event(e: ActionEvent): void {
    const s = this.#steps[this.#step];
    if (!s || this.#state === 'passed' || this.#state === 'failed') return;
    if (this.#done && e.kind === this.#done.kind && e.onset <= this.#done.at + this.#p.repeatGraceMs) return;
    // A blink is judged only as the answer to a blink cue: people blink on their own every few
    // seconds, so a blink while nothing or a turn is asked, or too soon after a blink cue to
    // answer it, is neither an answer nor a refusal.
    if (e.kind === 'blink' && !(this.#state === 'cued' && wanted(s.cue) === 'blink')) return;
    if (this.#state === 'waiting') {
      if (this.#dueAt === undefined) return; // no usable face yet: nothing asked, nothing judged
      if (this.#postponed) {
        this.#fail('unprompted');
        return;
      }
      this.#postponed = true;
      this.#dueAt = e.at + s.delayMs;
      return;
    }
    if (e.after < this.#cuedAt) return; // maybe begun before this cue: no answer to it (nor a refusal)
    if (e.onset < this.#cuedAt + this.#p.minReactionMs) {
      // Sooner than a reaction: a blink then is one of the patient's own (no answer, no refusal);
      // a turn then was begun before the cue could be seen.
      if (e.kind !== 'blink') this.#fail('early-response');
      return;
    }
    if (e.kind !== wanted(s.cue)) {
      this.#fail('wrong-response');
      return;
    }
    if (e.kind === 'blink') {
      const first = this.#blinks[0];
      if (!first && e.onset - this.#cuedAt > this.#p.maxOnsetMs) return; // too late: the step stays open until it runs out
      if (first && e.onset - this.#blinks.at(-1)!.at > this.#p.betweenBlinksMs) {
        this.#blinks = [];
        return;
      }
      this.#blinks.push(e);
      if (this.#blinks.length < (s.cue === 'blink-twice' ? 2 : 1)) return;
    } else if (e.onset - this.#cuedAt > this.#p.maxOnsetMs) return;
    this.#next(e);
  }

  #next(e: ActionEvent): void {
    const at = e.at;
    this.#done = { kind: e.kind, at };
    this.#step++;
    this.#blinks = [];
    this.#postponed = false;
    this.#recues = 0;
    if (this.#step >= this.#steps.length) {
      this.#state = 'passed';
      return;
    }
    this.#state = 'waiting';
    this.#dueAt = at + this.#steps[this.#step]!.delayMs;
  }

  #fail(f: ChallengeFailure): void {
    this.#state = 'failed';
    this.#failure = f;
  }
}
