/**
 * Fan-out of input events (card events, taps, key presses) to every current reader. A reader
 * subscribes with `subscribe()` and is registered at once, so nothing pushed after the call is
 * lost even before it starts iterating; `initial` events (e.g. "a card is already in") come
 * first. A subscription ends on `close()`, on its AbortSignal, or when the reader stops
 * iterating. Each reader's queue is bounded: when a reader falls behind, its oldest events are
 * dropped (a stale tap must not press a later screen's button; an unread reader must not grow).
 */
class Subscription<T> implements AsyncIterableIterator<T> {
  readonly #queue: T[] = [];
  #waiter: ((r: IteratorResult<T>) => void) | undefined;
  #ended = false;

  constructor(
    readonly capacity: number,
    readonly onEnd: (s: Subscription<T>) => void,
  ) {}

  push(value: T): void {
    if (this.#ended) return;
    const w = this.#waiter;
    if (w) {
      this.#waiter = undefined;
      w({ value, done: false });
      return;
    }
    if (this.#queue.length >= this.capacity) this.#queue.shift();
    this.#queue.push(value);
  }

  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#queue.length = 0;
    this.onEnd(this);
    const w = this.#waiter;
    this.#waiter = undefined;
    w?.({ value: undefined, done: true });
  }

  next(): Promise<IteratorResult<T>> {
    if (this.#queue.length > 0) return Promise.resolve({ value: this.#queue.shift() as T, done: false });
    if (this.#ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => {
      this.#waiter = resolve;
    });
  }

  return(): Promise<IteratorResult<T>> {
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }
}

export class EventChannel<T> {
  readonly #subs = new Set<Subscription<T>>();
  #closed = false;
  constructor(readonly capacity = 32) {}

  get closed(): boolean {
    return this.#closed;
  }
  get readers(): number {
    return this.#subs.size;
  }

  push(value: T): void {
    if (this.#closed) return;
    for (const s of this.#subs) s.push(value);
  }

  /** Ends every subscription; later pushes are dropped and later subscriptions end at once. */
  close(): void {
    this.#closed = true;
    for (const s of [...this.#subs]) s.end();
  }

  subscribe(options: { readonly signal?: AbortSignal; readonly initial?: readonly T[] } = {}): AsyncIterableIterator<T> {
    const { signal, initial = [] } = options;
    const onAbort = (): void => sub.end();
    const sub = new Subscription<T>(this.capacity, (s) => {
      this.#subs.delete(s);
      signal?.removeEventListener('abort', onAbort);
    });
    if (this.#closed || signal?.aborted) {
      sub.end();
      return sub;
    }
    this.#subs.add(sub);
    signal?.addEventListener('abort', onAbort);
    for (const e of initial) sub.push(e);
    return sub;
  }
}
