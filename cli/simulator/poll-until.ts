/**
 * The rig's wait: polls `probe` every few ms until it gives a value, or throws a TimeoutError
 * after `withinMs`. `what` names what was awaited and is read when the wait fails, so it can say
 * what the reader showed then (the screen on at the deadline, not the one on when the wait began).
 */
import { TimeoutError } from '../../firmware/core/errors.ts';

const POLL_MS = 5;

export async function pollUntil<T>(probe: () => T | undefined, withinMs: number, what: () => string): Promise<T> {
  const end = performance.now() + withinMs;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (performance.now() > end) throw new TimeoutError(what(), withinMs);
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}
