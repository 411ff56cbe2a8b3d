/**
 * Fan-out of input events (taps, key presses) to every current reader as an async iterable that
 * ends on `close()` or on the reader's AbortSignal. Each reader's queue is bounded: when a reader
 * falls behind, the oldest events are dropped (a stale tap must not press a later screen's button).
 */
interface Sub<T> {
  readonly queue: T[];
  wake: (() => void) | undefined;
}

export class EventChannel<T> {
  readonly #subs = new Set<Sub<T>>();
  #closed = false;
  constructor(readonly capacity = 32) {}

  get closed(): boolean { return this.#closed; }
  get readers(): number { return this.#subs.size; }

  push(value: T): void {
    if (this.#closed) return;
    for (const s of this.#subs) {
      s.queue.push(value);
      if (s.queue.length > this.capacity) s.queue.shift();
      s.wake?.();
    }
  }

  close(): void {
    this.#closed = true;
    for (const s of this.#subs) s.wake?.();
  }

  async *iterate(signal?: AbortSignal): AsyncGenerator<T> {
    const sub: Sub<T> = { queue: [], wake: undefined };
    this.#subs.add(sub);
    const onAbort = (): void => sub.wake?.();
    signal?.addEventListener('abort', onAbort);
    try {
      while (!this.#closed && !signal?.aborted) {
        const next = sub.queue.shift();
        if (next !== undefined) { yield next; continue; }
        await new Promise<void>((resolve) => { sub.wake = resolve; });
        sub.wake = undefined;
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
      this.#subs.delete(sub);
    }
  }
}
