/**
 * The face screen's guidance hint, and when each hint asked for was on the panel: a liveness
 * cue's response window opens then (firmware/face/liveness/challenge.ts `awaitDrawn`).
 *
 * Guidance goes straight to the panel (no visit event: it changes many times a second). The hint
 * on the panel is remembered, so that the face screen an attempt opens with keeps it (a "please
 * blink" asked while the card was read must not flicker away when the attempt is joined).
 *
 * A hint's own drawing may be skipped: the panel draws only the newest of the screens waiting
 * (firmware/visit/adapters/screen-ui.ts). When the face screen an attempt opens with was asked for
 * just after a cue, it is that screen which puts the cue on the panel, and the cue's window must
 * open with it: left waiting, the patient's answer was held and then judged against a later
 * drawing of the same cue, as an early response — a live patient refused as a spoof (the CI's
 * face visits under load, session 8). So every drawing settles the hints asked for before it:
 * with the time it was on the panel when it shows that hint, with undefined (never drawn) when
 * it shows another.
 */
import type { Logger } from '../../core/logger.ts';
import type { Clock } from '../../ports/clock.ts';
import type { FaceHint } from '../../ports/screens.ts';

/** What the hints are drawn with. */
export interface HintPanel {
  /** Draws the face screen with `hint` (no visit event); true once on the panel, false when a newer screen made it pointless. */
  draw(hint: FaceHint): Promise<boolean>;
  /** Shows the face screen an attempt opens with, as a visit step; same answer. */
  open(params: { hint?: FaceHint }): Promise<boolean>;
  readonly clock: Clock;
  readonly log: Logger;
}

interface Waiting {
  /** Order of the request: a drawing settles only the hints asked for before or with it. */
  readonly seq: number;
  readonly hint: FaceHint;
  readonly settle: (at: number | undefined) => void;
}

/** Hints whose drawing is still unknown, at most (the oldest is given up as never drawn). */
const MAX_WAITING = 8;

export class FaceHints {
  #last: FaceHint | undefined;
  #seq = 0;
  #waiting: Waiting[] = [];

  constructor(private readonly panel: HintPanel) {}

  /** The face screen's parameters with the hint on the panel now, if any. */
  get params(): { hint?: FaceHint } {
    return this.#last === undefined ? {} : { hint: this.#last };
  }

  /**
   * Draws `hint`; resolves with when it was first on the panel — by this drawing or, when this one
   * was skipped, by the next face screen with it — or undefined: another screen came first, or
   * drawing failed.
   */
  readonly show = (hint: FaceHint): Promise<number | undefined> => {
    this.#last = hint;
    const seq = ++this.#seq;
    const drawn = new Promise<number | undefined>((settle) => {
      this.#waiting.push({ seq, hint, settle });
      if (this.#waiting.length > MAX_WAITING) this.#waiting.shift()?.settle(undefined);
    });
    this.panel.draw(hint).then(
      (onPanel) => {
        if (onPanel) this.#drawn(seq, hint);
      },
      (err: unknown) => {
        this.panel.log.warn('guidance screen failed', { err });
        this.#settle((w) => w.seq === seq, undefined);
      },
    );
    return drawn;
  };

  /** Shows the face screen an attempt opens with, keeping the hint on the panel; its drawing counts as the hint's. */
  async open(): Promise<void> {
    const hint = this.#last;
    const seq = ++this.#seq;
    if (await this.panel.open(this.params)) this.#drawn(seq, hint);
  }

  /** A new attempt starts with no hint of its own yet; hints still waiting are never drawn for it. */
  reset(): void {
    this.#last = undefined;
    this.#settle(() => true, undefined);
  }

  /** The drawing asked for as `seq`, showing `hint`, is on the panel now. */
  #drawn(seq: number, hint: FaceHint | undefined): void {
    const at = this.panel.clock.monotonic();
    const settled = this.#waiting.filter((w) => w.seq <= seq);
    this.#waiting = this.#waiting.filter((w) => w.seq > seq);
    for (const w of settled) w.settle(w.hint === hint ? at : undefined);
  }

  #settle(which: (w: Waiting) => boolean, at: number | undefined): void {
    const settled = this.#waiting.filter(which);
    this.#waiting = this.#waiting.filter((w) => !which(w));
    for (const w of settled) w.settle(at);
  }
}
