/**
 * The SQLite store's checkpointer (a worker thread beside the store's own, sqlite-thread.ts):
 * every `everyMs` its own connection runs a PASSIVE checkpoint, copying the WAL's committed
 * pages into the database file and syncing that file. Left to the committing connection, the
 * commit that crosses 1,000 WAL pages does this inside its transaction's call, before its batch
 * can be acknowledged (up to 1,000 page writes and an fsync of the database file); here it
 * happens beside the commits. PASSIVE neither waits for the writer nor stops it, and copies
 * only committed frames, so durability is SQLite's as before. On any failure the thread says so
 * and ends; the store then gives the checkpoint back to its commits.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { SqliteCheckpointer } from './sqlite-store.ts';
import type { CheckpointerData, CheckpointerReply } from './sqlite-thread-protocol.ts';

const port = parentPort;
if (!port) throw new Error('sqlite-checkpointer-thread.ts must run inside a worker thread');
const say = (r: CheckpointerReply): void => port.postMessage(r);
const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

const { path, everyMs } = workerData as CheckpointerData;
let checkpointer: SqliteCheckpointer | undefined;
try {
  checkpointer = await SqliteCheckpointer.open(path);
} catch (err) {
  say({ kind: 'failed', message: message(err) });
  port.close();
}

if (checkpointer) {
  const c = checkpointer;
  const timer = setInterval(() => {
    try {
      c.checkpoint();
    } catch (err) {
      clearInterval(timer);
      c.close();
      say({ kind: 'failed', message: message(err) });
      port.close();
    }
  }, everyMs);
  port.on('message', (m: unknown) => {
    if (m !== 'close') return;
    clearInterval(timer);
    c.close();
    say({ kind: 'closed' });
    port.close();
  });
  say({ kind: 'ready' });
}
