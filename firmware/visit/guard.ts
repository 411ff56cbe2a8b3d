/**
 * One guarded step of the visit: runs `fn` with a child AbortSignal that fires when the visit's
 * signal fires (card pulled, shutdown) or when the step's own deadline from the injected clock
 * passes. Rejects with the abort reason (`CardRemovedError`, `TimeoutError`, …) even when `fn`
 * ignores its signal, so no step can hang the visit.
 */
import { CancelledError, KaoreaderError, TimeoutError } from '../core/errors.ts';
import type { Clock } from '../ports/clock.ts';

function reasonError(signal: AbortSignal, what: string): Error {
  const reason: unknown = signal.reason;
  return reason instanceof KaoreaderError ? reason : new CancelledError(what, { cause: reason });
}

export async function guarded<T>(
  clock: Clock,
  parent: AbortSignal,
  what: string,
  ms: number,
  fn: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  if (parent.aborted) throw reasonError(parent, what);
  const ac = new AbortController();
  const onParent = (): void => ac.abort(parent.reason);
  parent.addEventListener('abort', onParent, { once: true });
  const timer = clock.setTimeout(() => ac.abort(new TimeoutError(what, ms)), ms);
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(reasonError(ac.signal, what));
    ac.signal.addEventListener('abort', onAbort, { once: true });
  });
  const work = fn(ac.signal);
  work.catch(() => undefined); // the race below reports it; never an unhandled rejection
  try {
    return await Promise.race([work, aborted]);
  } finally {
    timer.cancel();
    parent.removeEventListener('abort', onParent);
    if (onAbort) ac.signal.removeEventListener('abort', onAbort);
    if (!ac.signal.aborted) ac.abort(new CancelledError(`${what} (step finished)`));
  }
}
