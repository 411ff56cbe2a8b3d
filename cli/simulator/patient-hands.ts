/**
 * A simulated patient's eyes and hands on the rendered screen. The patient sees only what was
 * drawn: the layout of the last frame written to the display (never what the reader is waiting
 * for). For each press it waits until the button is drawn, waits a human delay, taps its centre,
 * then watches for the screen to react (a new frame); if nothing happens it taps again, like a
 * person would (at most three times; pads are never tapped twice). Now and then it taps too
 * early, where it saw the button last time, before the screen it means is drawn: that tap must
 * be harmless, so it is made only where the screen now shown has no button.
 */
import { TimeoutError } from '../../firmware/core/errors.ts';
import type { Button, Layout } from '../../firmware/display/layout/types.ts';
import { hitTest } from '../../firmware/display/layout/types.ts';
import type { SimDisplay } from '../../hardware-sim/display/sim-display.ts';
import { PaceDice, type PatientPace } from '../../hardware-sim/patients/patient-pace.ts';
import type { SimTouch } from '../../hardware-sim/touch/sim-touch.ts';

const SEE_MS = 15_000;
const REACT_MS = 3_000;
const TRIES = 3;
const POLL_MS = 2;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Where a patient saw each button (by its id), shared by the patients of a world. */
export type ButtonMemory = Map<string, { readonly x: number; readonly y: number }>;

export class PatientHands {
  readonly #dice: PaceDice;
  readonly #seeMs: number;
  readonly #reactMs: number;
  /** Taps made too early (before the meant screen was drawn), for reports. */
  earlyTaps = 0;

  /** `patience` multiplies how long the patient waits for a screen or its reaction (slow machines, emulation). */
  constructor(
    readonly display: SimDisplay,
    readonly touch: SimTouch,
    readonly drawn: () => Layout | undefined,
    pace: PatientPace,
    readonly memory: ButtonMemory = new Map(),
    patience = 1,
  ) {
    this.#dice = new PaceDice(pace);
    this.#seeMs = SEE_MS * patience;
    this.#reactMs = REACT_MS * patience;
  }

  /** What the patient sees: the layout of the frame on the panel (nothing before the first frame). */
  seen(): Layout | undefined {
    return this.display.frames > 0 ? this.drawn() : undefined;
  }

  /** Waits until the drawn screen satisfies `find`, bounded. */
  async see<T>(find: (l: Layout) => T | undefined, what: string, ms = this.#seeMs): Promise<T> {
    const end = performance.now() + ms;
    for (;;) {
      const l = this.seen();
      const hit = l ? find(l) : undefined;
      if (hit !== undefined) return hit;
      if (performance.now() > end) throw new TimeoutError(`${what} to be drawn (on the panel: ${l?.screen ?? 'nothing'})`, ms);
      await sleep(POLL_MS);
    }
  }

  /** Waits for a frame after `frames`; false when none came within `ms`. */
  async reacted(frames: number, ms = this.#reactMs): Promise<boolean> {
    const end = performance.now() + ms;
    while (this.display.frames === frames) {
      if (performance.now() > end) return false;
      await sleep(POLL_MS);
    }
    return true;
  }

  /** Taps the button `id` once it is drawn (retrying when the screen does not react). */
  async tap(id: string): Promise<void> {
    if (this.#dice.early()) await this.#tooEarly(id);
    for (let attempt = 1; attempt <= TRIES; attempt++) {
      await this.see((l) => drawnButton(l, id), `button ${id}`);
      await sleep(this.#dice.delayMs());
      const now = this.seen();
      const still = now ? drawnButton(now, id) : undefined;
      if (!still) continue; // the screen changed under the finger: look again
      const frames = this.display.frames;
      const at = centre(still);
      this.touch.tap(at.x, at.y);
      this.memory.set(id, at);
      if (await this.reacted(frames)) return;
    }
    throw new TimeoutError(`the screen to react to button ${id} (${TRIES} taps)`, this.#reactMs * TRIES);
  }

  /** Taps the button `displayId` once drawn, without a delay or a retry (a person chose it); waits briefly for a reaction. */
  async pressDrawn(displayId: string): Promise<void> {
    const b = await this.see((l) => l.buttons.find((x) => x.id === displayId), `button ${displayId}`);
    const frames = this.display.frames;
    const at = centre(b);
    this.touch.tap(at.x, at.y);
    await this.reacted(frames);
  }

  /** Presses one key of a pad (touch `digit-N`, `cancel`…) on the pad screen `pad`; never twice. */
  async padTap(pads: readonly string[], button: string, scale = 0.5): Promise<void> {
    const on = (l: Layout): boolean => pads.includes(l.screen);
    await this.see((l) => (on(l) ? l.buttons.find((b) => b.id === button) : undefined), `${button} on ${pads.join(' or ')}`);
    await sleep(this.#dice.delayMs(scale));
    const b = await this.see((l) => (on(l) ? l.buttons.find((x) => x.id === button) : undefined), `${button} on ${pads.join(' or ')}`);
    const frames = this.display.frames;
    const at = centre(b);
    this.touch.tap(at.x, at.y);
    if (!(await this.reacted(frames, this.#seeMs))) throw new TimeoutError(`the pad to react to ${button}`, this.#seeMs);
  }

  /** Presses a physical key once the pad screen `pad` is drawn; waits for the pad to react. */
  async key(pad: string, press: () => void, what: string, scale = 0.5): Promise<void> {
    await this.see((l) => (l.screen === pad ? l : undefined), pad);
    await sleep(this.#dice.delayMs(scale));
    const frames = this.display.frames;
    press();
    if (!(await this.reacted(frames, this.#seeMs))) throw new TimeoutError(`the pad to react to ${what}`, this.#seeMs);
  }

  /**
   * The patient knows what comes next and, now and then, taps where `id` was last time before
   * its screen is drawn (only where the screen now shown has no button).
   */
  async anticipate(id: string): Promise<void> {
    if (this.#dice.early()) await this.#tooEarly(id);
  }

  /** A tap before the meant screen is drawn, where the button was last time, if nothing is there now. */
  async #tooEarly(id: string): Promise<void> {
    const at = this.memory.get(id);
    const now = this.seen();
    if (!at || (now && drawnButton(now, id)) || (now && hitTest(now, at.x, at.y))) return;
    this.earlyTaps += 1;
    this.touch.tap(at.x, at.y);
    await sleep(this.#dice.delayMs(0.3));
  }
}

const centre = (b: Button): { x: number; y: number } => ({
  x: b.rect.x + Math.floor(b.rect.w / 2),
  y: b.rect.y + Math.floor(b.rect.h / 2),
});

/** The button `id` on the screen drawn (the visit and the display share the ids: ports/screens.ts). */
export function drawnButton(l: Layout, id: string): Button | undefined {
  return l.buttons.find((x) => x.id === id);
}
