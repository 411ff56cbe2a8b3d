/**
 * Group commit: everything that arrives while a batch is being committed forms the next batch,
 * so a busy facility writes a few large transactions instead of many small ones, and an idle
 * one commits at once (no timer). Each batch is `prepare`d (reads, verification), written in one
 * store transaction, then `settle`d: only then does anybody hear back (an ack after commit).
 * A failed commit fails every job of its batch; later batches go on.
 *
 * Pipelined, two deep: the next batch is prepared while the previous one commits (its reads and
 * verification overlap the previous fsync), and is committed only after that one committed, so
 * batches commit and settle in order. Its reads do not see the batch still committing; the store
 * decides what that could change (a result stored or a challenge used meanwhile comes back from
 * the commit as `duplicate` or `replayed`), and a job whose `key` (a result id) is in the batch
 * still committing waits for the round after, so it is prepared against what that batch wrote.
 */
import type { Logger } from '../../firmware/core/logger.ts';
import { emptyBatch, type FacilityStore, type ResultFate, type WriteBatch } from '../store/store.ts';

export interface BatchJob {
  /** Adds this job's rows to the batch (after the batch's `prepare`). */
  contribute(batch: WriteBatch): void;
  /** The batch committed: `fates` holds the fate of every result in it. */
  settle(fates: ReadonlyMap<string, ResultFate>): void;
  fail(err: unknown): void;
}

export interface CommitQueueOptions {
  readonly store: FacilityStore;
  readonly log: Logger;
  /** Most jobs in one transaction. */
  readonly maxBatch?: number;
  /** Runs once per batch before the jobs contribute (e.g. look up challenges, verify proofs). */
  readonly prepare?: (jobs: readonly BatchJob[]) => Promise<void>;
  /** Per committed batch: its jobs, how long the store took and the batch's stages before it (metrics). */
  readonly onCommit?: (jobs: readonly BatchJob[], seconds: number, stages: BatchStages) => void;
  /** A job's key (a result's id): a job whose key is in the batch being committed waits for the next batch. */
  readonly key?: (job: BatchJob) => string | undefined;
  /** Runs a batch's settle loop, e.g. with the broker socket corked so its acks leave in one write. */
  readonly settleAll?: (settle: () => void) => void;
}

/** Where a batch spent its time before its commit (seconds). */
export interface BatchStages {
  /** Taken from the queue → prepared (the store's lookups and the proofs' verification). */
  readonly prepare: number;
  /** Prepared → its commit began (waiting for the batch before it to commit). */
  readonly waitCommit: number;
}

export class CommitQueue {
  #queue: BatchJob[] = [];
  #running: Promise<void> | undefined;
  #closed = false;
  constructor(private readonly o: CommitQueueOptions) {}

  get depth(): number {
    return this.#queue.length;
  }

  push(job: BatchJob): void {
    if (this.#closed) {
      job.fail(new Error('the facility service is stopping'));
      return;
    }
    this.#queue.push(job);
    this.#running ??= this.#drain().finally(() => {
      this.#running = undefined;
    });
  }

  async #drain(): Promise<void> {
    let committing: { readonly done: Promise<void>; readonly keys: ReadonlySet<string> } | undefined;
    // Bounded: each round takes at least one job or waits for the batch committing, and only jobs pushed meanwhile remain.
    for (let round = 0; (this.#queue.length > 0 || committing) && round < 1_000_000; round++) {
      await new Promise<void>((r) => setImmediate(r)); // this tick's arrivals join the batch
      const jobs = this.#take(committing?.keys);
      if (jobs.length === 0) {
        await committing?.done;
        committing = undefined;
        continue;
      }
      const taken = performance.now();
      let preparedAt = taken;
      const prepared = this.#prepare(jobs).then((ok) => {
        preparedAt = performance.now();
        return ok;
      });
      await committing?.done;
      committing = undefined;
      if (!(await prepared)) continue;
      const stages = { prepare: (preparedAt - taken) / 1000, waitCommit: (performance.now() - preparedAt) / 1000 };
      committing = { done: this.#commit(jobs, stages), keys: this.#keys(jobs) };
    }
  }

  /** Up to maxBatch jobs in arrival order, leaving those whose key is in `busy` queued. */
  #take(busy: ReadonlySet<string> | undefined): BatchJob[] {
    const max = this.o.maxBatch ?? 500;
    if (!busy || busy.size === 0 || !this.o.key) return this.#queue.splice(0, max);
    const jobs: BatchJob[] = [];
    const later: BatchJob[] = [];
    for (const j of this.#queue) {
      const k = this.o.key(j);
      if (jobs.length < max && (k === undefined || !busy.has(k))) jobs.push(j);
      else later.push(j);
    }
    this.#queue = later;
    return jobs;
  }

  #keys(jobs: readonly BatchJob[]): ReadonlySet<string> {
    const keys = new Set<string>();
    for (const j of jobs) {
      const k = this.o.key?.(j);
      if (k !== undefined) keys.add(k);
    }
    return keys;
  }

  /** True when prepared; a failed prepare fails its jobs. */
  async #prepare(jobs: readonly BatchJob[]): Promise<boolean> {
    try {
      await this.o.prepare?.(jobs);
      return true;
    } catch (err) {
      this.o.log.error('facility batch not committed', { jobs: jobs.length, err });
      for (const j of jobs) j.fail(err);
      return false;
    }
  }

  /** Writes the batch in one transaction, then settles its jobs (never rejects: a failed commit fails its jobs). */
  async #commit(jobs: readonly BatchJob[], stages: BatchStages): Promise<void> {
    try {
      const batch = emptyBatch();
      for (const j of jobs) j.contribute(batch);
      const t0 = performance.now();
      const fates = await this.o.store.commit(batch);
      this.o.onCommit?.(jobs, (performance.now() - t0) / 1000, stages);
      const settle = (): void => {
        for (const j of jobs) j.settle(fates);
      };
      if (this.o.settleAll) this.o.settleAll(settle);
      else settle();
    } catch (err) {
      this.o.log.error('facility batch not committed', { jobs: jobs.length, err });
      for (const j of jobs) j.fail(err);
    }
  }

  /** Stops taking jobs and waits for the ones queued. */
  async close(): Promise<void> {
    this.#closed = true;
    for (let i = 0; this.#running && i < 1000; i++) await this.#running;
  }
}

/** A job that only writes (status, health, a challenge, a command) and resolves after commit. */
export function writeJob(rows: (batch: WriteBatch) => void): { job: BatchJob; done: Promise<void> } {
  let resolve!: () => void;
  let reject!: (e: unknown) => void;
  const done = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { job: { contribute: rows, settle: () => resolve(), fail: (e) => reject(e) }, done };
}
