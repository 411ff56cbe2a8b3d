/** Waits for reader events of a given type, with a deadline (one iterator per reader). */
import type { CardEvent, CardReader } from '../../firmware/ports/card-reader.ts';

export class EventWaiter {
  readonly seen: CardEvent[] = [];
  #wake: (() => void) | undefined;
  constructor(reader: CardReader) {
    void (async () => {
      for await (const e of reader.events()) {
        this.seen.push(e);
        this.#wake?.();
      }
    })();
  }

  /** Resolves with the first not-yet-consumed event of `type`. */
  async next(type: CardEvent['type'], timeoutMs = 5000): Promise<CardEvent> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const i = this.seen.findIndex((e) => e.type === type);
      if (i >= 0) return this.seen.splice(0, i + 1)[i] as CardEvent;
      await new Promise<void>((r) => {
        this.#wake = r;
        setTimeout(r, 100);
      });
    }
    throw new Error(`no ${type} event within ${timeoutMs} ms (seen: ${this.seen.map((e) => e.type).join(',')})`);
  }
}
