/**
 * Simulated touch panel: taps injected by coordinates, or by button id at the centre of that
 * button in the layout currently shown (the layout source is given by the composition root,
 * usually `() => ui.layout`). Tapping a button that is not on screen is an error, not a no-op.
 */
import { KaoreaderError } from '../../firmware/core/errors.ts';
import type { Layout } from '../../firmware/display/layout/types.ts';
import { EventChannel } from '../../firmware/core/event-channel.ts';
import type { Tap, TouchInput } from '../../firmware/ports/touch-input.ts';

export class NoSuchButtonError extends KaoreaderError {
  readonly code = 'NO_SUCH_BUTTON';
}

export class SimTouch implements TouchInput {
  readonly #channel = new EventChannel<Tap>();
  #t = 0;

  constructor(readonly currentLayout: () => Layout | undefined = () => undefined) {}

  taps(signal?: AbortSignal): AsyncIterable<Tap> {
    return this.#channel.subscribe({ signal });
  }

  tap(x: number, y: number): void {
    this.#t += 300;
    this.#channel.push({ x: Math.round(x), y: Math.round(y), at: this.#t });
  }

  /** Taps the centre of button `id` on the current screen. */
  tapButton(id: string): { x: number; y: number } {
    const layout = this.currentLayout();
    const b = layout?.buttons.find((btn) => btn.id === id);
    if (!b)
      throw new NoSuchButtonError(
        `no button "${id}" on ${layout ? `screen ${layout.screen}` : 'the (blank) screen'}; buttons: ${layout?.buttons.map((x) => x.id).join(', ') ?? 'none'}`,
      );
    const x = b.rect.x + Math.floor(b.rect.w / 2);
    const y = b.rect.y + Math.floor(b.rect.h / 2);
    this.tap(x, y);
    return { x, y };
  }

  /** Number of readers (a test waits until the UI listens before tapping). */
  get listeners(): number {
    return this.#channel.readers;
  }

  close(): Promise<void> {
    this.#channel.close();
    return Promise.resolve();
  }
}
