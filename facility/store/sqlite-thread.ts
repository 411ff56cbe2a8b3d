/**
 * The SQLite store's thread (worker_threads): owns the better-sqlite3 connection, so a commit's
 * fsync (WAL, synchronous=FULL) blocks this thread and not the service's event loop, which
 * meanwhile reads the broker, validates and verifies the next batch. Requests run one at a
 * time, in arrival order (better-sqlite3 is synchronous), so batches commit in order.
 * The first message answered is the open (id 0).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { KaoreaderError } from '../../firmware/core/errors.ts';
import { StoreTooNewError } from './errors.ts';
import { SqliteStore } from './sqlite-store.ts';
import type { ThreadData, ThreadReply, ThreadRequest, WireError } from './sqlite-thread-protocol.ts';

const port = parentPort;
if (!port) throw new Error('sqlite-thread.ts must run inside a worker thread');

function wire(err: unknown): WireError {
  if (err instanceof StoreTooNewError) return { code: err.code, message: err.message, found: err.found, known: err.known };
  if (err instanceof KaoreaderError) return { code: err.code, message: err.message };
  return { code: 'STORE_UNAVAILABLE', message: err instanceof Error ? err.message : String(err) };
}

const { path, autocheckpointPages } = workerData as ThreadData;
let store: SqliteStore | undefined;
try {
  store = await SqliteStore.open(path, autocheckpointPages === undefined ? {} : { autocheckpointPages });
  port.postMessage({ id: 0, ok: true, value: null } satisfies ThreadReply);
} catch (err) {
  port.postMessage({ id: 0, ok: false, error: wire(err) } satisfies ThreadReply);
}

async function call(s: SqliteStore, req: ThreadRequest): Promise<unknown> {
  const a = req.args;
  switch (req.method) {
    case 'commit':
      return s.commit(a[0] as Parameters<SqliteStore['commit']>[0]);
    case 'challenges':
      return s.challenges(a[0] as string[]);
    case 'storedResults':
      return s.storedResults(a[0] as string[]);
    case 'refusedResults':
      return s.refusedResults(a[0] as string[]);
    case 'lookupResults':
      return s.lookupResults(a[0] as string[], a[1] as string[]);
    case 'previousConsent':
      return s.previousConsent(a[0] as string, a[1] as string);
    case 'readers':
      return s.readers(a[0] as string | undefined);
    case 'recentResults':
      return s.recentResults(a[0] as string, a[1] as number);
    case 'counts':
      return s.counts(a[0] as string | undefined);
    case 'xmlJobs':
      return s.xmlJobs(a[0] as number);
    case 'setXmlState':
      return s.setXmlState(a[0] as string, a[1] as 'staged' | 'written');
    case 'pragmas':
      return s.pragmas();
    case 'versions':
      return s.versions();
    case 'setAutocheckpoint':
      return s.setAutocheckpoint(a[0] as number);
    case 'close':
      return s.close();
  }
}

if (store) {
  const s = store;
  port.on('message', (req: ThreadRequest) => {
    // Every method of SqliteStore runs synchronously inside `call`: answers leave in request order.
    call(s, req).then(
      (value) => {
        port.postMessage({ id: req.id, ok: true, value } satisfies ThreadReply);
        if (req.method === 'close') port.close();
      },
      (err: unknown) => port.postMessage({ id: req.id, ok: false, error: wire(err) } satisfies ThreadReply),
    );
  });
}
