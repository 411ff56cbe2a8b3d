/**
 * The SQLite store as the service runs it: the same SqliteStore (one file, WAL,
 * synchronous=FULL), owned by a worker thread (sqlite-thread.ts). A commit resolves only when
 * the thread's transaction returned, i.e. after the WAL fsync, exactly as in-process; what
 * changes is that the fsync no longer stops the service's event loop. Calls are answered in
 * the order they were made. If the thread dies, every pending and later call fails with
 * StoreError (the commit queue then answers "resend"; nothing is acknowledged).
 * The thread keeps the process alive only while a call waits for it: a store left open (a
 * command that failed before its close) does not hold the process for ever.
 * WAL checkpoints run in a second thread (sqlite-checkpointer-thread.ts), not in the commit
 * that crosses SQLite's 1,000 pages; the commits' own threshold is raised to `BACKSTOP_PAGES`
 * (a bound on the WAL if the checkpointer falls behind) and set back to 1,000 if it fails.
 * The close waits for the checkpointer thread a bounded time (`closeTimeoutMs`): a thread stuck in
 * a checkpoint is logged (CheckpointerStuckError), terminated and left behind; every commit is in
 * the WAL, which the next open reads.
 */
import { Worker } from 'node:worker_threads';
import { silentLogger, type Logger } from '../../firmware/core/logger.ts';
import type { ConsentChoice, VisitResult } from '../../firmware/ports/facility-link.ts';
import { CheckpointerStuckError, StoreError, StoreThreadError, StoreTooNewError } from './errors.ts';
import type { CheckpointerData, CheckpointerReply, StoreMethod, ThreadData, ThreadReply, WireError } from './sqlite-thread-protocol.ts';
import type { ChallengeRow, FacilityStore, ReaderRow, ResultFate, ResultLookup, StoreCounts, WriteBatch, XmlJob } from './store.ts';

/**
 * The commits' own checkpoint threshold while the checkpointer runs (8 MB of WAL; SQLite's default
 * is 1,000). A stream of commits beside a concurrent checkpointer rarely leaves every frame
 * checkpointed, which the WAL needs to restart from its beginning: this checkpoint, finding
 * nearly everything copied already, lets it restart (at 10,000 the WAL grew to 41 MB).
 */
export const BACKSTOP_PAGES = 2000;
/** SQLite's own threshold, given back to the commits if the checkpointer fails. */
export const SQLITE_DEFAULT_PAGES = 1000;
/** Time between two checkpoints: at 2,000 results/s (≈ 2.3 pages each) about SQLite's 1,000 pages. */
export const CHECKPOINT_EVERY_MS = 200;

/** How long close() waits for the checkpointer thread to end before it closes the database without it. */
export const CLOSE_TIMEOUT_MS = 10_000;

/** Starts the checkpointer thread (sqlite-checkpointer-thread.ts unless another is injected: it speaks CheckpointerReply). */
export type StartCheckpointer = (data: CheckpointerData) => Worker;

export interface ThreadStoreOptions {
  /** Time between the checkpointer's PASSIVE checkpoints; `false`: no checkpointer, the commits checkpoint (SQLite's default). */
  readonly checkpointEveryMs?: number | false;
  /** The checkpointer's failure and a close that could not wait for it go here (silent when absent). */
  readonly log?: Logger;
  /** How long close() waits for the checkpointer thread (default CLOSE_TIMEOUT_MS). */
  readonly closeTimeoutMs?: number;
  readonly startCheckpointer?: StartCheckpointer;
}

const startCheckpointerThread: StartCheckpointer = (data) => new Worker(entry('sqlite-checkpointer-thread'), { workerData: data });

function fromWire(e: WireError): Error {
  if (e.code === 'STORE_TOO_NEW' && e.found !== undefined && e.known !== undefined) return new StoreTooNewError(e.found, e.known);
  if (e.code === 'STORE_UNAVAILABLE') return new StoreError(e.message.replace(/^facility database: /, ''));
  return new StoreThreadError(e.code, e.message);
}

export class SqliteThreadStore implements FacilityStore {
  readonly kind = 'sqlite' as const;
  readonly #pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  #nextId = 1;
  #dead: Error | undefined;
  #checkpointer: Worker | undefined;
  #checkpointerClosed: Promise<void> = Promise.resolve();

  private constructor(
    private readonly worker: Worker,
    readonly path: string,
    private readonly log: Logger,
    private readonly closeTimeoutMs: number,
  ) {
    worker.on('message', (r: ThreadReply) => {
      const p = this.#pending.get(r.id);
      if (!p) return;
      this.#pending.delete(r.id);
      if (this.#pending.size === 0) worker.unref();
      if (r.ok) p.resolve(r.value);
      else p.reject(fromWire(r.error));
    });
    worker.on('error', (err) => this.#failAll(new StoreError('the database thread crashed', { cause: err })));
    worker.on('exit', (code) => this.#failAll(new StoreError(`the database thread exited (${code})`)));
  }

  /** Starts the thread, which opens (creating) `path` and migrates it; rejects as SqliteStore.open would. */
  static async open(path: string, options: ThreadStoreOptions = {}): Promise<SqliteThreadStore> {
    const everyMs = options.checkpointEveryMs ?? CHECKPOINT_EVERY_MS;
    const worker = new Worker(entry('sqlite-thread'), {
      workerData: {
        path,
        module: './sqlite-thread.ts',
        ...(everyMs === false ? {} : { autocheckpointPages: BACKSTOP_PAGES }),
      } satisfies ThreadData,
    }); // it inherits the process's flags: given as execArgv, V8 flags (--max-old-space-size) are refused
    const log = options.log ?? silentLogger;
    const store = new SqliteThreadStore(worker, path, log, options.closeTimeoutMs ?? CLOSE_TIMEOUT_MS);
    await new Promise<void>((resolve, reject) => {
      store.#pending.set(0, { resolve: () => resolve(), reject });
    });
    if (everyMs !== false) await store.#startCheckpointer(everyMs, options.startCheckpointer ?? startCheckpointerThread);
    return store;
  }

  /** Starts the checkpointer thread; if it cannot open or fails later, the commits checkpoint again. */
  async #startCheckpointer(everyMs: number, start: StartCheckpointer): Promise<void> {
    const w = start({ path: this.path, module: './sqlite-checkpointer-thread.ts', everyMs });
    this.#checkpointer = w;
    let ready: () => void = () => undefined;
    const started = new Promise<void>((resolve) => (ready = resolve));
    this.#checkpointerClosed = new Promise<void>((resolve) => w.once('exit', () => resolve()));
    const giveBack = (why: unknown): void => {
      ready();
      if (this.#checkpointer !== w) return; // closed on purpose, or given back already
      this.#checkpointer = undefined;
      if (this.#dead) return; // a dead store fails its calls anyway
      this.log.error('SQLite checkpointer thread failed: the commits checkpoint again (every 1,000 WAL pages)', { why });
      this.#call('setAutocheckpoint', SQLITE_DEFAULT_PAGES).catch((err: unknown) =>
        this.log.error('the commits could not be given their checkpoint back; the WAL grows to the backstop', { err }),
      );
    };
    w.on('message', (r: CheckpointerReply) => {
      if (r.kind === 'ready') ready();
      else if (r.kind === 'failed') giveBack(r.message);
    });
    w.on('error', (err) => giveBack(err));
    w.on('exit', (code) => giveBack(`exited (${code})`));
    await started;
    w.unref(); // its timer must not hold the process (after the listeners: adding a 'message' listener refs a worker)
  }

  #failAll(err: Error): void {
    this.#dead ??= err;
    for (const p of this.#pending.values()) p.reject(err);
    this.#pending.clear();
  }

  #call<T>(method: StoreMethod, ...args: unknown[]): Promise<T> {
    if (this.#dead) return Promise.reject(this.#dead);
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: (v) => resolve(v as T), reject });
      this.worker.ref();
      this.worker.postMessage({ id, method, args });
    });
  }

  commit(batch: WriteBatch): Promise<Map<string, ResultFate>> {
    return this.#call('commit', batch);
  }
  challenges(values: readonly string[]): Promise<Map<string, ChallengeRow>> {
    return values.length === 0 ? Promise.resolve(new Map()) : this.#call('challenges', values);
  }
  storedResults(ids: readonly string[]): Promise<Set<string>> {
    return ids.length === 0 ? Promise.resolve(new Set()) : this.#call('storedResults', ids);
  }
  refusedResults(ids: readonly string[]): Promise<Map<string, string>> {
    return ids.length === 0 ? Promise.resolve(new Map()) : this.#call('refusedResults', ids);
  }
  lookupResults(ids: readonly string[], challenges: readonly string[]): Promise<ResultLookup> {
    return ids.length === 0 && challenges.length === 0
      ? Promise.resolve({ stored: new Set(), refused: new Map(), challenges: new Map() })
      : this.#call('lookupResults', ids, challenges);
  }
  previousConsent(facilityId: string, certificateSerial: string): Promise<ConsentChoice | undefined> {
    return this.#call('previousConsent', facilityId, certificateSerial);
  }
  readers(facilityId?: string): Promise<ReaderRow[]> {
    return this.#call('readers', facilityId);
  }
  recentResults(facilityId: string, limit: number): Promise<VisitResult[]> {
    return this.#call('recentResults', facilityId, limit);
  }
  counts(facilityId?: string): Promise<StoreCounts> {
    return this.#call('counts', facilityId);
  }
  xmlJobs(limit: number): Promise<XmlJob[]> {
    return this.#call('xmlJobs', limit);
  }
  setXmlState(id: string, state: 'staged' | 'written'): Promise<void> {
    return this.#call('setXmlState', id, state);
  }
  /** The pragmas in force (tests: WAL, FULL, the commits' checkpoint threshold). */
  pragmas(): Promise<{ journalMode: string; synchronous: number; autocheckpointPages: number }> {
    return this.#call('pragmas');
  }
  versions(): Promise<number[]> {
    return this.#call('versions');
  }

  /** Closes the database, then the thread. */
  async close(): Promise<void> {
    if (this.#dead) return;
    // The checkpointer's connection first: the last connection to close checkpoints and removes the WAL.
    const c = this.#checkpointer;
    this.#checkpointer = undefined;
    if (c) {
      c.ref(); // the close waits for it
      c.postMessage('close');
      if (!(await within(this.#checkpointerClosed, this.closeTimeoutMs))) {
        this.log.error('SQLite checkpointer thread did not end; the database closes without it', {
          err: new CheckpointerStuckError(this.closeTimeoutMs),
        });
        c.unref();
        c.terminate().catch(() => undefined); // ends when its native call returns; not waited for
      }
    }
    await this.#call('close');
    this.#dead = new StoreError('the database is closed');
    await this.worker.terminate();
  }
}

/** True when `p` settled within `ms`, false when the time ran out first. */
async function within(p: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const out = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([p.then(() => true as const), out]);
  } finally {
    clearTimeout(timer);
  }
}

/** From the sources the boot file registers tsx and loads workerData.module; a compiled release starts the compiled module. */
function entry(name: 'sqlite-thread' | 'sqlite-checkpointer-thread'): URL {
  return new URL(import.meta.url.endsWith('.ts') ? './sqlite-thread-boot.mjs' : `./${name}.js`, import.meta.url);
}
