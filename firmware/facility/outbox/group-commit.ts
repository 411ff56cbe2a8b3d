/**
 * The journal's group-commit queue, in memory: frames wait here until one writer takes them all
 * as a batch (`write`, the journal's: one synchronous-data write per batch). While records stream
 * in (the last sync write ended within `streamGapMs`), a batch waits `commitDelayMs` for more to
 * join it; a lone record is written at the next turn of the loop. A batch of acks alone lingers
 * up to `ackLingerMs` so the acks ride along with the next record's write. Each `enqueue`
 * settles when its batch has been written (or failed). Nothing here touches the disk.
 */
import type { LiveRecord } from './recover.ts';

/** One frame waiting for its batch; `sync`: it holds a record (an ack alone needs no sync). */
export interface Pending {
  readonly frame: Buffer;
  readonly record?: LiveRecord;
  readonly sync: boolean;
  resolve(): void;
  reject(err: unknown): void;
}

export interface GroupCommitOptions {
  readonly ackLingerMs: number;
  readonly commitDelayMs: number;
  readonly streamGapMs: number;
  /** performance.now() when the last write holding a record ended (-Infinity before the first). */
  readonly lastSyncEnd: () => number;
  /** Writes one batch and settles every frame in it (resolve or reject). */
  readonly write: (batch: Pending[]) => Promise<void>;
}

export class GroupCommit {
  readonly #o: GroupCommitOptions;
  #queue: Pending[] = [];
  #queuedBytes = 0;
  #writing: Promise<void> | undefined;
  #closed = false;
  #wake: (() => void) | undefined;

  constructor(options: GroupCommitOptions) {
    this.#o = options;
  }

  /** Bytes of the frames waiting (not yet in a batch being written). */
  get queuedBytes(): number {
    return this.#queuedBytes;
  }

  /** Queues a frame; settles once the batch it joins is written. */
  enqueue(frame: Buffer, record?: LiveRecord, sync = true): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ frame, ...(record ? { record } : {}), sync, resolve, reject });
      this.#queuedBytes += frame.length;
      if (sync) this.#wake?.();
      this.#writing ??= this.#drain();
    });
  }

  /** Stops lingering and waiting: what is queued is written at once; resolves when the writer is idle. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#wake?.();
    while (this.#writing) await this.#writing;
  }

  /** Ack-only batches linger briefly so acks ride along with the next record's write. */
  #linger(): Promise<void> {
    if (this.#closed || this.#queue.some((p) => p.sync)) return Promise.resolve();
    return new Promise((resolve) => {
      const t = setTimeout(() => this.#wake?.(), this.#o.ackLingerMs);
      this.#wake = () => {
        clearTimeout(t);
        this.#wake = undefined;
        resolve();
      };
    });
  }

  async #drain(): Promise<void> {
    try {
      while (this.#queue.length > 0) {
        await this.#linger();
        await this.#gather();
        const batch = this.#queue.splice(0, this.#queue.length);
        this.#queuedBytes = 0;
        await this.#o.write(batch);
      }
    } finally {
      this.#writing = undefined;
    }
  }

  /** Lets concurrent appends join this batch: one turn of the loop, or the commit delay while records stream in. */
  #gather(): Promise<void> {
    const streaming = performance.now() - this.#o.lastSyncEnd() < this.#o.streamGapMs;
    if (streaming && this.#o.commitDelayMs > 0 && !this.#closed) return new Promise((r) => setTimeout(r, this.#o.commitDelayMs));
    return new Promise((r) => setImmediate(r));
  }
}
