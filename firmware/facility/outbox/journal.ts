/**
 * The outbox's disk: append-only segment files of framed records (frame.ts) with group commit,
 * recovery, rollover and compaction. One journal serves one outbox (a reader's), or several
 * named outboxes in one process (`outbox(name)`: simulated readers sharing a disk), so that
 * one group commit covers everything pending in the process, as it does for one reader's burst.
 *
 * Appends queue up and are written by one writer as a single synchronous-data write per batch:
 * the segment is open with O_DSYNC, so the `write` returns only once the batch and the file
 * size are on disk, exactly what `write` + `fdatasync` give, in one system call and one
 * thread-pool round trip. An append resolves only once its batch is on disk. While records
 * stream in (the last sync write ended within `streamGapMs`), a batch waits `commitDelayMs` for
 * more to join it (adaptive group commit); a lone record is written at once. Acks are records
 * too, written with the next batch that holds a record (or after `ackLingerMs`, through a
 * second descriptor without O_DSYNC) and made durable with such a batch (or by the kernel):
 * an ack lost in a power cut only means one resend, which the facility dedupes. Segments roll
 * over at `segmentBytes`; compaction deletes the oldest segment once all its records are
 * acked, or copies its few live records forward and then deletes it (oldest first, so an ack
 * never outlives the record it cancels).
 *
 * Bounded: when the segment files would exceed `maxBytes` after compaction, `append` rejects
 * with `OutboxFullError('limit')`; when the disk itself is full (ENOSPC/EDQUOT) the partial
 * write is cut back to the last good record and the batch rejects with
 * `OutboxFullError('disk-full')`. Records already stored are never harmed.
 *
 * By concern: frame.ts the record format, segment-files.ts + segment-writer.ts the segment IO,
 * recover.ts recovery at open, accounting.ts what is live where, group-commit.ts the group commit
 * queue, compaction.ts compaction; this file append/ack, a batch's write and the status.
 */
import { mkdirDurable } from '../../core/fs.ts';
import { KaoreaderError } from '../../core/errors.ts';
import { silentLogger, type Logger } from '../../core/logger.ts';
import { OutboxFullError } from '../../ports/facility-link.ts';
import { JournalAccounting } from './accounting.ts';
import { GroupCommit, type Pending } from './group-commit.ts';
import { Compaction } from './compaction.ts';
import { encodeAck, encodeDead, encodePut } from './frame.ts';
import { recover, type LiveRecord } from './recover.ts';
import { SegmentWriter } from './segment-writer.ts';

export interface JournalOptions {
  readonly dir: string;
  /** Upper bound of all segment files together (default 64 MiB). */
  readonly maxBytes?: number;
  /** Roll over to a new segment past this size (default maxBytes / 16). */
  readonly segmentBytes?: number;
  /** How long an ack waits for a record write to ride along with (default 200 ms). */
  readonly ackLingerMs?: number;
  /**
   * Adaptive group commit: while records keep coming (the previous sync write ended less than
   * `streamGapMs` ago), a batch waits this long for more records to join it (default 5 ms). A lone
   * record (a reader's one result per visit) is written at once.
   */
  readonly commitDelayMs?: number;
  readonly streamGapMs?: number;
  readonly now?: () => number;
  readonly log?: Logger;
}

export type OutboxStatus = 'ok' | 'full' | 'disk-full';

export class OutboxClosedError extends KaoreaderError {
  readonly code = 'OUTBOX_CLOSED';
}

/** The options with their defaults filled in. */
type ResolvedOptions = Required<Omit<JournalOptions, 'log' | 'now'>> & { log: Logger; now: () => number };

export class OutboxJournal {
  readonly #o: ResolvedOptions;
  readonly #live: JournalAccounting;
  readonly #writer: SegmentWriter;
  readonly #queue: GroupCommit;
  readonly #compaction: Compaction;
  #nextSeq: number;
  #status: OutboxStatus = 'ok';
  #closed = false;
  /** What recovery found at open (torn tails truncated). */
  readonly recovery: Awaited<ReturnType<typeof recover>>['truncated'];

  private constructor(o: ResolvedOptions, r: Awaited<ReturnType<typeof recover>>, live: JournalAccounting, writer: SegmentWriter) {
    this.#o = o;
    this.recovery = r.truncated;
    this.#nextSeq = r.nextSeq;
    this.#live = live;
    this.#writer = writer;
    this.#queue = new GroupCommit({
      ackLingerMs: o.ackLingerMs,
      commitDelayMs: o.commitDelayMs,
      streamGapMs: o.streamGapMs,
      lastSyncEnd: () => writer.lastSyncEnd,
      write: (batch) => this.#writeBatch(batch),
    });
    this.#compaction = new Compaction({
      dir: o.dir,
      maxBytes: o.maxBytes,
      live,
      rewrite: (frame, record) => this.#queue.enqueue(frame, record),
      rewriteMark: (frame) => this.#queue.enqueue(frame),
    });
  }

  static async open(options: JournalOptions): Promise<OutboxJournal> {
    const maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
    const o = {
      dir: options.dir,
      maxBytes,
      segmentBytes: options.segmentBytes ?? Math.max(4096, Math.floor(maxBytes / 16)),
      ackLingerMs: options.ackLingerMs ?? 200,
      commitDelayMs: options.commitDelayMs ?? 5,
      streamGapMs: options.streamGapMs ?? 20,
      log: options.log ?? silentLogger,
      now: options.now ?? Date.now,
    };
    await mkdirDurable(options.dir);
    const r = await recover(options.dir, o.log);
    const live = new JournalAccounting(r.records, r.segments);
    const j = new OutboxJournal(o, r, live, await SegmentWriter.open(options.dir, live.active.n, o.log));
    await j.#compaction.run();
    return j;
  }

  get closed(): boolean {
    return this.#closed;
  }
  get status(): OutboxStatus {
    return this.#status;
  }
  get bytes(): number {
    return this.#live.bytes;
  }
  get segmentCount(): number {
    return this.#live.segmentCount;
  }
  /** Write and fsync counts (group commit shows as fsyncs ≪ records). */
  get stats(): { readonly writes: number; readonly fsyncs: number } {
    return this.#writer.stats;
  }
  /** Live records of one stream, in append order (read-only: the journal owns them). */
  records(stream: string): ReadonlyMap<string, LiveRecord> {
    return this.#live.records(stream);
  }

  /** Stores a record of `stream` durably; resolves after it is on disk. Rejects with OutboxFullError. */
  async append(stream: string, id: string, payload: Uint8Array): Promise<LiveRecord> {
    if (this.#closed) throw new OutboxClosedError('the outbox is closed (the link is shutting down)');
    const known = this.#live.get(id);
    if (known) return known;
    const seq = this.#nextSeq++;
    const createdMs = this.#o.now();
    const frame = encodePut(id, seq, createdMs, payload, stream);
    if (this.bytes + this.#queue.queuedBytes + frame.length > this.#o.maxBytes) {
      await this.#compaction.run();
      if (this.bytes + this.#queue.queuedBytes + frame.length > this.#o.maxBytes) {
        this.#status = 'full';
        throw new OutboxFullError('limit', this.records(stream).size);
      }
    }
    // The frame ends with a copy of the payload: the record keeps a view of it (no second copy; nothing writes to a sealed frame).
    const record: LiveRecord = { id, stream, seq, createdMs, payload: frame.subarray(frame.length - payload.byteLength), segment: 0 };
    await this.#queue.enqueue(frame, record);
    return record;
  }

  /** The facility stored `id`: forget it (durably). False when it is not (or no longer) here. */
  async ack(id: string): Promise<boolean> {
    const r = this.#live.get(id);
    if (!r || this.#closed) return false;
    const undo = this.#live.forget(r);
    try {
      await this.#queue.enqueue(encodeAck(id), undefined, false);
    } catch (err) {
      // The ack did not reach the disk: the record stays deliverable (a duplicate at worst).
      undo();
      throw err;
    }
    if (this.#status === 'full') this.#status = 'ok';
    await this.#compaction.afterAck();
    return true;
  }

  /**
   * The facility refused `id` for good: it stays here (counted, in `depth`) but is no longer
   * offered, and after a restart too (a DEAD mark, written like a record: on disk before this
   * resolves). False when `id` is not (or no longer) here. Rejects when the mark could not be
   * written: it then holds in memory only, and the record is sent once more after a restart.
   */
  async deadLetter(id: string): Promise<boolean> {
    const r = this.#live.get(id);
    if (!r || this.#closed) return false;
    if (r.dead) return true;
    r.dead = true;
    await this.#queue.enqueue(encodeDead(id));
    return true;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#queue.close();
    await this.#writer.close();
  }

  async #writeBatch(batch: Pending[]): Promise<void> {
    const seg = this.#live.active;
    const data = Buffer.concat(batch.map((p) => p.frame));
    try {
      await this.#writer.write(
        data,
        batch.some((p) => p.sync),
        seg.size,
      );
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const e = code === 'ENOSPC' || code === 'EDQUOT' ? new OutboxFullError('disk-full', this.#live.recordCount, { cause: err }) : err;
      if (e instanceof OutboxFullError) this.#status = 'disk-full';
      this.#o.log.error('outbox write failed; nothing partial kept', { code, records: batch.length });
      for (const p of batch) p.reject(e);
      return;
    }
    seg.size += data.length;
    for (const p of batch) {
      if (p.record) this.#live.written(p.record, seg);
      p.resolve();
    }
    if (this.#status === 'disk-full') this.#status = 'ok';
    if (seg.size >= this.#o.segmentBytes) {
      const n = seg.n + 1;
      await this.#writer.roll(n);
      this.#live.addSegment(n);
    }
  }
}
