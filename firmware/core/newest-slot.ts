/**
 * The hand-off between a producer running at its own speed (a camera, a simulated clock) and
 * one consumer running at another: a single slot holding the newest item. An item replaced before
 * the consumer took it is counted in `dropped` and handed to `discard` (a camera frame is a face
 * image: it is zeroed). Never queues, so a slow consumer always sees the present.
 *
 * `end()` says no more items will come (the one held can still be taken); `close()` ends every
 * wait at once and discards the held item.
 */
import { CancelledError } from './errors.ts';

export interface NewestSlotOptions<T> {
  /** Called with every item the slot lets go of without handing it out. */
  readonly discard?: (item: T) => void;
  /** What a cancelled wait was waiting for (error message). */
  readonly what?: string;
}

export class NewestSlot<T> {
  #item: T | undefined;
  #waiter: ((item: T | undefined) => void) | undefined;
  #ended = false;
  #closed = false;
  dropped = 0;

  constructor(readonly options: NewestSlotOptions<T> = {}) {}

  put(item: T): void {
    if (this.#ended || this.#closed) {
      this.options.discard?.(item);
      return;
    }
    const w = this.#waiter;
    if (w) {
      this.#waiter = undefined;
      w(item);
      return;
    }
    if (this.#item !== undefined) {
      this.options.discard?.(this.#item);
      this.dropped++;
    }
    this.#item = item;
  }

  /** The newest item, waiting for one if needed; `undefined` once ended (and empty) or closed. */
  take(signal?: AbortSignal): Promise<T | undefined> {
    if (this.#item !== undefined) {
      const item = this.#item;
      this.#item = undefined;
      return Promise.resolve(item);
    }
    if (this.#ended || this.#closed) return Promise.resolve(undefined);
    const what = this.options.what ?? 'slot wait';
    if (signal?.aborted) return Promise.reject(new CancelledError(what, { cause: signal.reason }));
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        this.#waiter = undefined;
        reject(new CancelledError(what, { cause: signal?.reason }));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiter = (item) => {
        signal?.removeEventListener('abort', onAbort);
        resolve(item);
      };
    });
  }

  /** Lets go of the held item (not counted as dropped): the source went away. */
  clear(): void {
    if (this.#item !== undefined) this.options.discard?.(this.#item);
    this.#item = undefined;
  }

  /** No more items: a waiter is told so now, the held item can still be taken. */
  end(): void {
    this.#ended = true;
    if (this.#item === undefined) this.#wake();
  }

  /** Ends every wait and discards an item nobody took. */
  close(): void {
    this.#closed = true;
    this.clear();
    this.#wake();
  }

  get closed(): boolean {
    return this.#closed;
  }

  #wake(): void {
    const w = this.#waiter;
    this.#waiter = undefined;
    w?.(undefined);
  }
}
