/**
 * Clock port. Every wait in kaoreader takes its time from here, so tests drive time with
 * sinon fake timers (`systemClock` reads the globals sinon replaces) or a manual clock.
 */
export interface TimerHandle {
  cancel(): void;
}

export interface Clock {
  /** Wall-clock milliseconds since the epoch (timestamps in records). */
  now(): number;
  /** Monotonic milliseconds (durations, deadlines); never jumps with NTP. */
  monotonic(): number;
  /** Calls `fn` once after `ms`; `cancel()` is idempotent. */
  setTimeout(fn: () => void, ms: number): TimerHandle;
  /** Resolves after `ms`, or rejects with CancelledError when `signal` fires. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}
