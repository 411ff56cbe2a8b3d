/** A card reader's event stream driven by the test: push events, the loop consumes them. */
import type { CardEvent } from '../../../../firmware/ports/card-reader.ts';

export class CardEvents {
  #queue: CardEvent[] = [];
  #wake: (() => void) | undefined;
  #closed = false;

  push(event: CardEvent): void {
    this.#queue.push(event);
    this.#wake?.();
  }

  close(): void {
    this.#closed = true;
    this.#wake?.();
  }

  async *events(): AsyncIterable<CardEvent> {
    while (!this.#closed) {
      const next = this.#queue.shift();
      if (next) {
        yield next;
        continue;
      }
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
      this.#wake = undefined;
    }
  }
}
