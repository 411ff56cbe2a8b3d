/** The real clock, on Node's timers (which sinon fake timers replace in tests). */
import { CancelledError } from '../core/errors.ts';
import type { Clock, TimerHandle } from '../ports/clock.ts';

export const systemClock: Clock = {
  now: () => Date.now(),
  monotonic: () => performance.now(),
  setTimeout(fn: () => void, ms: number): TimerHandle {
    const t = setTimeout(fn, ms);
    return { cancel: () => clearTimeout(t) };
  },
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(new CancelledError('sleep', { cause: signal.reason }));
        return;
      }
      const onAbort = (): void => {
        clearTimeout(t);
        reject(new CancelledError('sleep', { cause: signal?.reason }));
      };
      const t = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  },
};
