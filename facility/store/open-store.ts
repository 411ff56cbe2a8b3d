/**
 * Opens the configured facility database. The drivers load lazily (better-sqlite3 is a native
 * addon), so nothing that does not open a store needs them. `{ kind: 'sqlite', dir }` is what
 * a test or the power-loss harness points at a directory: the file is `<dir>/facility.db`.
 * SQLite runs in a worker thread (sqlite-thread-store.ts).
 */
import { join } from 'node:path';
import type { Logger } from '../../firmware/core/logger.ts';
import type { FacilityStore } from './store.ts';

export type StoreConfig =
  | { readonly kind: 'sqlite'; readonly path: string }
  | { readonly kind: 'sqlite'; readonly dir: string }
  | { readonly kind: 'postgres'; readonly url: string; readonly poolSize?: number };

/** `log`: where the store reports trouble that is not a call's error (SQLite: its checkpointer thread). */
export async function openFacilityStore(c: StoreConfig, log?: Logger): Promise<FacilityStore> {
  if (c.kind === 'postgres') {
    const { PostgresStore } = await import('./postgres-store.ts');
    return PostgresStore.open({ url: c.url, ...(c.poolSize ? { poolSize: c.poolSize } : {}) });
  }
  // A thread of its own: the commit's fsync must not stop the service's event loop.
  const { SqliteThreadStore } = await import('./sqlite-thread-store.ts');
  return SqliteThreadStore.open('path' in c ? c.path : join(c.dir, 'facility.db'), log ? { log } : {});
}
