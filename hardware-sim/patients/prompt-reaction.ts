/**
 * A simulated live patient answering the reader's liveness challenge the way a person does: they
 * glance at the screen every `glanceMs`; when it starts asking them to blink (once, twice, three times) or to
 * turn the head to their left or right, they do so (N blinks 550 ms apart) after a human reaction time (300–600 ms,
 * seeded), and do it again when the screen still asks `repeatMs` (1 s) after that answer is over. A flicker of the screen does not stop an answer
 * under way; a screen without the request for `forgetMs` does. What the screen shows is read by `look` (the caller reads
 * the simulated display in the patient's language); nothing here is told by the reader. A
 * photo held up cannot answer: the caller only wires this to a live face.
 */
import type { ChallengeCue } from '../../firmware/face/liveness/challenge.ts';
import type { Clock, TimerHandle } from '../../firmware/ports/clock.ts';
import { seededRandom } from '../camera/image.ts';

/** The screen's request as the patient reads it; left and right are the patient's own. */
/** What the patient is asked to do: the face's challenge cues, by the same names. */
export type Prompt = ChallengeCue;

/** What the patient's body can do in front of the camera (LiveFaceCamera, SceneCamera). */
export interface PatientBody {
  /**
   * A blink beginning `inSec` from now (default 0) on the camera's own timeline: the blinks of one
   * answer are placed there at once, so a late timer (a loaded machine) cannot spread them apart.
   */
  blink(durationSec?: number, inSec?: number): void;
  turnHead(yawDeg: number, durationSec?: number): void;
}

export interface PromptReactionOptions {
  readonly clock: Clock;
  /** The challenge the screen shows now, as the patient reads it. */
  readonly look: () => Prompt | undefined;
  readonly body: PatientBody;
  readonly seed?: number;
  readonly glanceMs?: number;
  /** Reaction time range, ms. */
  readonly reactionMs?: readonly [number, number];
  /** Still asked this long after answering: answer again. */
  readonly repeatMs?: number;
  /** No challenge on the screen for this long: the screen moved on, forget it. */
  readonly forgetMs?: number;
}

/** A deliberate blink is slower than a spontaneous one (a blink on request: 0.25–0.4 s, live-face.ts); the lids are seen down ≥ 150 ms even at a few frames a second. */
const BLINK_SEC = 0.4;
/** "Twice": the second blink begins this long after the first. */
const BLINK_AGAIN_MS = 550;
/**
 * Asked to turn, a person turns about 30° (enough to look aside; the screen stays in view). A turn
 * to the patient's own left shows the camera the face turning towards image right (positive yaw).
 */
const TURN_DEG = 30;
const TURN_SEC = 1.2;

export class PromptReaction {
  readonly #o: PromptReactionOptions;
  readonly #rand: () => number;
  #glance: TimerHandle | undefined;
  #answer: TimerHandle | undefined;
  #seen: Prompt | undefined;
  /** The prompt the answer being prepared is for, and the last one answered. */
  #pending: Prompt | undefined;
  #answered: Prompt | undefined;
  #shownAt = Number.NEGATIVE_INFINITY;
  #answeredAt = Number.NEGATIVE_INFINITY;
  #running = false;
  /** Answers given so far (for tests and transcripts). */
  answers = 0;

  constructor(o: PromptReactionOptions) {
    this.#o = o;
    this.#rand = seededRandom(o.seed ?? 5);
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#schedule();
  }

  /** The challenge seen at the last glance. */
  get seen(): Prompt | undefined {
    return this.#seen;
  }

  stop(): void {
    this.#running = false;
    this.#glance?.cancel();
    this.#glance = undefined;
    this.forget();
  }

  /**
   * Someone else stands at the camera now (or nobody): what the previous person was about to
   * do, or had done, is not theirs. Keeps glancing if running.
   */
  forget(): void {
    this.#answer?.cancel();
    this.#answer = undefined;
    this.#pending = undefined;
    this.#answered = undefined;
    this.#seen = undefined;
    this.#shownAt = Number.NEGATIVE_INFINITY;
    this.#answeredAt = Number.NEGATIVE_INFINITY;
  }

  #schedule(): void {
    if (!this.#running) return;
    this.#glance = this.#o.clock.setTimeout(() => {
      this.#look();
      this.#schedule();
    }, this.#o.glanceMs ?? 50);
  }

  #look(): void {
    const prompt = this.#o.look();
    const now = this.#o.clock.monotonic();
    if (prompt) this.#shownAt = now;
    else if (now - this.#shownAt >= (this.#o.forgetMs ?? 300)) this.forget(); // the screen moved on
    this.#seen = prompt;
    // Once they have read "blink" they blink, even if the screen flickers meanwhile; a new
    // request replaces the one they were about to answer; one still shown after `repeatMs` is
    // answered again.
    if (!prompt || prompt === this.#pending) return;
    if (prompt === this.#answered && now - this.#answeredAt < (this.#o.repeatMs ?? 1000)) return;
    this.#answer?.cancel();
    this.#react(prompt);
  }

  /**
   * `n` deliberate blinks, `BLINK_AGAIN_MS` apart, all placed now on the body's timeline: a person's
   * blinks keep their rhythm however late this machine's timers fire (a chain of timers spread
   * them a second and more apart under load, and "blink three times" was answered with two).
   */
  #blinkTimes(n: number): void {
    for (let k = 0; k < n; k++) this.#o.body.blink(BLINK_SEC, (k * BLINK_AGAIN_MS) / 1000);
  }

  #react(prompt: Prompt): void {
    const [lo, hi] = this.#o.reactionMs ?? [300, 600];
    this.#pending = prompt;
    this.#answer = this.#o.clock.setTimeout(
      () => {
        this.#answer = undefined;
        this.#pending = undefined;
        if (!this.#running) return;
        this.#answeredAt = this.#o.clock.monotonic();
        this.#answered = prompt;
        this.answers++;
        switch (prompt) {
          case 'blink-once':
          case 'blink-twice':
          case 'blink-thrice': {
            const n = prompt === 'blink-once' ? 1 : prompt === 'blink-twice' ? 2 : 3;
            // Counted from the end of the last blink: asked again only once the answer is over.
            this.#answeredAt += (n - 1) * BLINK_AGAIN_MS + BLINK_SEC * 1000;
            this.#blinkTimes(n);
            break;
          }
          case 'turn-left':
          case 'turn-right':
            // Like the blinks: a person judges whether the screen took the answer once the head is back.
            this.#answeredAt += TURN_SEC * 1000;
            this.#o.body.turnHead(prompt === 'turn-left' ? TURN_DEG : -TURN_DEG, TURN_SEC);
            break;
        }
      },
      lo + (hi - lo) * this.#rand(),
    );
  }
}
