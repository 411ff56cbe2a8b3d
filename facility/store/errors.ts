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
