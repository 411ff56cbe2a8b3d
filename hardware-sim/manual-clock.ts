/**
 * A clock that moves only when told to (`advance`), for runs that must not depend on how busy
 * the machine is: a simulated camera and patient on virtual time, the face pipeline doing real
 * work in between. Timers fire in due order, each at its own instant; `sleep` resolves when the
 * clock has been advanced past it.
 */
import { CancelledError } from '../firmware/core/errors.ts';
import type { Clock, TimerHandle } from '../firmware/ports/clock.ts';

interface Timer {
  readonly at: number;
  readonly seq: number;
  readonly fn: () => void;
  cancelled: boolean;
}

/** Timers run in one advance() call, at most (a timer that keeps re-arming itself at 0 ms is a bug). */
const MAX_FIRED = 1_000_000;

export class ManualClock implements Clock {
  #t: number;
  #seq = 0;
  #timers: Timer[] = [];

  constructor(
    readonly epoch = Date.UTC(2026, 11, 1, 9),
    start = 0,
  ) {
    this.#t = start;
  }

  now(): number {
    return this.epoch + this.#t;
  }

  monotonic(): number {
    return this.#t;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const timer: Timer = { at: this.#t + Math.max(0, ms), seq: this.#seq++, fn, cancelled: false };
    this.#timers.push(timer);
    return {
      cancel: () => {
        timer.cancelled = true;
      },
    };
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(new CancelledError('sleep', { cause: signal.reason }));
        return;
      }
      const onAbort = (): void => {
        handle.cancel();
        reject(new CancelledError('sleep', { cause: signal?.reason }));
      };
      const handle = this.setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Moves time forward by `ms`, firing every timer due on the way at its own instant. */
  advance(ms: number): void {
    const end = this.#t + Math.max(0, ms);
    for (let fired = 0; fired < MAX_FIRED; fired++) {
      this.#timers = this.#timers.filter((t) => !t.cancelled);
      let next: Timer | undefined;
      for (const t of this.#timers) if (t.at <= end && (!next || t.at < next.at || (t.at === next.at && t.seq < next.seq))) next = t;
      if (!next) break;
      this.#timers.splice(this.#timers.indexOf(next), 1);
      this.#t = Math.max(this.#t, next.at);
      next.fn();
    }
    this.#t = end;
  }
}
