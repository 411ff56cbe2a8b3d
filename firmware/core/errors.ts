import type { ErrorCode } from './error-codes.ts';

export type { ErrorCode } from './error-codes.ts';

/**
 * Base of every typed error in kaoreader. Subclasses carry a stable `code` from the closed
 * list in error-codes.ts that callers `switch` on; nobody matches on message text. Wrap with
 * `{ cause }`.
 */
export abstract class KaoreaderError extends Error {
  abstract readonly code: ErrorCode;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A configuration file that cannot be used; `problems` lists every error at once. */
export class ConfigError extends KaoreaderError {
  readonly code = 'CONFIG_INVALID';
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    super(`${file}: ${problems.length} problem(s) in configuration:\n  - ${problems.join('\n  - ')}`);
  }
}

/** A wait that ran past its deadline (an APDU, a facility request, a face decision…). */
export class TimeoutError extends KaoreaderError {
  readonly code = 'TIMEOUT';
  constructor(
    readonly what: string,
    readonly afterMs: number,
  ) {
    super(`${what} did not finish within ${afterMs} ms`);
  }
}

/** An operation cancelled by its AbortSignal (card pulled, visit ended, shutdown). */
export class CancelledError extends KaoreaderError {
  readonly code = 'CANCELLED';
  constructor(
    readonly what: string,
    options?: { cause?: unknown },
  ) {
    super(`${what} was cancelled`, options);
  }
}

/** A piece of hardware or a system service that is not there (with the fix in the message). */
export class DeviceUnavailableError extends KaoreaderError {
  readonly code = 'DEVICE_UNAVAILABLE';
  constructor(
    readonly device: string,
    readonly fix: string,
    options?: { cause?: unknown },
  ) {
    super(`${device} is not available: ${fix}`, options);
  }
}

/**
 * A temporary name an atomic write was about to create already exists (a file, or a symlink
 * planted to redirect the write): refused, never followed.
 */
export class TempFileTakenError extends KaoreaderError {
  readonly code = 'TEMP_FILE_TAKEN';
  constructor(
    readonly path: string,
    options?: { cause?: unknown },
  ) {
    super(`${path} already exists: refusing to write through it`, options);
  }
}

/** Throws CancelledError when the signal has fired. */
export function throwIfAborted(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted) throw new CancelledError(what, { cause: signal.reason });
}
