/** Typed errors of the facility database. */
import { KaoreaderError, type ErrorCode } from '../../firmware/core/errors.ts';

/** The database cannot be opened, migrated or written; `{ cause }` holds the driver's error. */
export class StoreError extends KaoreaderError {
  readonly code = 'STORE_UNAVAILABLE';
  constructor(
    readonly what: string,
    options?: { cause?: unknown },
  ) {
    super(`facility database: ${what}`, options);
  }
}

/** The database was written by a newer kaoreader (a migration this one does not know). */
export class StoreTooNewError extends KaoreaderError {
  readonly code = 'STORE_TOO_NEW';
  constructor(
    readonly found: number,
    readonly known: number,
  ) {
    super(`facility database is at schema version ${found}; this kaoreader knows up to ${known}: upgrade kaoreader`);
  }
}

/** Any other typed error the SQLite store's thread raised, its code kept (sqlite-thread-store.ts). */
export class StoreThreadError extends KaoreaderError {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The SQLite store's checkpointer thread did not end within the close's deadline (e.g. stuck in
 * a checkpoint's write to a failing disk). Nothing is lost: every commit is in the WAL, which
 * the next open reads; the store's own connection closes regardless.
 */
export class CheckpointerStuckError extends KaoreaderError {
  readonly code = 'STORE_CHECKPOINTER_STUCK';
  constructor(readonly waitedMs: number) {
    super(`facility database: the checkpointer thread did not end within ${waitedMs} ms of the close; closed without it`);
  }
}
