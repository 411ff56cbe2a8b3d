/**
 * Messages between the threaded SQLite store (sqlite-thread-store.ts, main thread) and its
 * worker (sqlite-thread.ts). A request names one FacilityStore method and its arguments; the
 * answer carries the method's value (structured clone: Map and Set survive) or the error's code.
 */
import type { ErrorCode } from '../../firmware/core/errors.ts';
import type { FacilityStore } from './store.ts';

export type StoreMethod = Exclude<keyof FacilityStore, 'kind' | 'close'> | 'pragmas' | 'versions' | 'setAutocheckpoint' | 'close';

export interface ThreadRequest {
  readonly id: number;
  readonly method: StoreMethod;
  readonly args: readonly unknown[];
}

/** What a failure in the worker becomes on the wire (the class does not cross threads). */
export interface WireError {
  readonly code: ErrorCode;
  readonly message: string;
  /** StoreTooNewError's versions. */
  readonly found?: number;
  readonly known?: number;
}

export type ThreadReply =
  | { readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly id: number; readonly ok: false; readonly error: WireError };

/** `workerData` of the thread: the database file to open, and the module the boot file loads (from the sources). */
export interface ThreadData {
  readonly path: string;
  readonly module: string;
  /** wal_autocheckpoint of the committing connection (SqliteOpenOptions). */
  readonly autocheckpointPages?: number;
}

/** `workerData` of the checkpointer thread (sqlite-checkpointer-thread.ts). */
export interface CheckpointerData {
  readonly path: string;
  readonly module: string;
  /** Time between two PASSIVE checkpoints. */
  readonly everyMs: number;
}

/** What the checkpointer thread says: opened, closed on request, or failed (then it has ended). */
export type CheckpointerReply =
  { readonly kind: 'ready' } | { readonly kind: 'closed' } | { readonly kind: 'failed'; readonly message: string };
