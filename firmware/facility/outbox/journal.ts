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
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fsyncDir, mkdirDurable } from '../../core/fs.ts';
import { KaoreaderError } from '../../core/errors.ts';
import { silentLogger, type Logger } from '../../core/logger.ts';
import { OutboxFullError } from '../../ports/facility-link.ts';
import { encodeAck, encodePut } from './frame.ts';
import { recover, segmentName, type LiveRecord, type SegmentInfo } from './recover.ts';
import { closeSegment, openSegment, type SegmentFiles } from './segment-files.ts';

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

interface Pending { readonly frame: Buffer; readonly record?: LiveRecord; readonly sync: boolean; resolve(): void; reject(err: unknown): void }

export class OutboxJournal {
  readonly #o: Required<Omit<JournalOptions, 'log' | 'now'>> & { log: Logger; now: () => number };
  /** Every live record in append order, and the same records by stream. */
  #records = new Map<string, LiveRecord>();
  #streams = new Map<string, Map<string, LiveRecord>>();
  #segments: SegmentInfo[] = [];
  #fd!: SegmentFiles;
  #nextSeq = 1;
  #queue: Pending[] = [];
  #queuedBytes = 0;
  #writing: Promise<void> | undefined;
  #status: OutboxStatus = 'ok';
  #closed = false;
  #wake: (() => void) | undefined;
  /** Ack-only bytes were written through the lazy descriptor since the last fdatasync. */
  #lazyDirty = false;
  /** When the last write holding a record ended (monotonic ms; -Infinity before the first). */
  #lastSyncEnd = -Infinity;
  #compacting: Promise<void> | undefined;
  /** Write and fsync counts (group commit shows as fsyncs ≪ records). */
  readonly stats = { writes: 0, fsyncs: 0 };
  /** What recovery found at open (torn tails truncated). */
  recovery: Awaited<ReturnType<typeof recover>>['truncated'] = [];

  private constructor(o: JournalOptions) {
    const maxBytes = o.maxBytes ?? 64 * 1024 * 1024;
    this.#o = { dir: o.dir, maxBytes, segmentBytes: o.segmentBytes ?? Math.max(4096, Math.floor(maxBytes / 16)), ackLingerMs: o.ackLingerMs ?? 200, commitDelayMs: o.commitDelayMs ?? 5, streamGapMs: o.streamGapMs ?? 20, log: o.log ?? silentLogger, now: o.now ?? Date.now };
  }

  static async open(options: JournalOptions): Promise<OutboxJournal> {
    const j = new OutboxJournal(options);
    await mkdirDurable(options.dir);
    const r = await recover(options.dir, j.#o.log);
    j.recovery = r.truncated;
    j.#nextSeq = r.nextSeq;
    for (const rec of r.records) j.#index(rec);
    j.#segments = r.segments;
    if (j.#segments.length === 0) j.#segments.push({ n: 1, size: 0, live: 0 });
    j.#fd = await openSegment(join(options.dir, segmentName(j.#active.n)));
    // The previous process may have left lazily written acks in the page cache (a clean stop or
    // a kill -9, not a power cut): make them durable before the first O_DSYNC write, which would
    // otherwise sit behind a hole after a power cut and be cut off with it (found by the power-cut test).
    await j.#fd.sync.datasync();
    await fsyncDir(options.dir);
    await j.#compact();
    return j;
  }

  get #active(): SegmentInfo {
    return this.#segments[this.#segments.length - 1] as SegmentInfo;
  }

  get closed(): boolean { return this.#closed; }
  get status(): OutboxStatus { return this.#status; }
  get bytes(): number { return this.#segments.reduce((n, s) => n + s.size, 0); }
  get segmentCount(): number { return this.#segments.length; }
  /** Live records of one stream, in append order (read-only: the journal owns them). */
  records(stream: string): ReadonlyMap<string, LiveRecord> {
    let m = this.#streams.get(stream);
    if (!m) this.#streams.set(stream, (m = new Map()));
    return m;
  }

  #index(r: LiveRecord): void {
    this.#records.set(r.id, r);
    (this.records(r.stream) as Map<string, LiveRecord>).set(r.id, r);
  }

  #unindex(r: LiveRecord): void {
    this.#records.delete(r.id);
    this.#streams.get(r.stream)?.delete(r.id);
  }

  /** Stores a record of `stream` durably; resolves after it is on disk. Rejects with OutboxFullError. */
  async append(stream: string, id: string, payload: Uint8Array): Promise<LiveRecord> {
    if (this.#closed) throw new OutboxClosedError('the outbox is closed (the link is shutting down)');
    const known = this.#records.get(id);
    if (known) return known;
    const seq = this.#nextSeq++;
    const createdMs = this.#o.now();
    const frame = encodePut(id, seq, createdMs, payload, stream);
    if (this.bytes + this.#queuedBytes + frame.length > this.#o.maxBytes) {
      await this.#compact();
      if (this.bytes + this.#queuedBytes + frame.length > this.#o.maxBytes) {
        this.#status = 'full';
        throw new OutboxFullError('limit', this.records(stream).size);
      }
    }
    const record: LiveRecord = { id, stream, seq, createdMs, payload: Buffer.from(payload), segment: 0 };
    await this.#enqueue(frame, record);
    return record;
  }

  /** The facility stored `id`: forget it (durably). False when it is not (or no longer) here. */
  async ack(id: string): Promise<boolean> {
    const r = this.#records.get(id);
    if (!r || this.#closed) return false;
    this.#unindex(r);
    const seg = this.#segments.find((s) => s.n === r.segment);
    if (seg) seg.live -= 1;
    try {
      await this.#enqueue(encodeAck(id), undefined, false);
    } catch (err) {
      // The ack did not reach the disk: the record stays deliverable (a duplicate at worst).
      this.#index(r);
      if (seg) seg.live += 1;
      throw err;
    }
    if (this.#status === 'full') this.#status = 'ok';
    if (this.#segments.length > 1 && (this.#segments[0]?.live === 0 || this.bytes > this.#o.maxBytes / 2)) await this.#compact();
    return true;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#wake?.();
    while (this.#writing) await this.#writing;
    if (this.#lazyDirty) await this.#fd.lazy.datasync();
    this.#lazyDirty = false;
    await closeSegment(this.#fd);
  }

  #enqueue(frame: Buffer, record?: LiveRecord, sync = true): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ frame, ...(record ? { record } : {}), sync, resolve, reject });
      this.#queuedBytes += frame.length;
      if (sync) this.#wake?.();
      this.#writing ??= this.#drain();
    });
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
        await this.#writeBatch(batch);
      }
    } finally {
      this.#writing = undefined;
    }
  }

  /** Lets concurrent appends join this batch: one turn of the loop, or the commit delay while records stream in. */
  #gather(): Promise<void> {
    const streaming = performance.now() - this.#lastSyncEnd < this.#o.streamGapMs;
    if (streaming && this.#o.commitDelayMs > 0 && !this.#closed) return new Promise((r) => setTimeout(r, this.#o.commitDelayMs));
    return new Promise((r) => setImmediate(r));
  }

  async #writeBatch(batch: Pending[]): Promise<void> {
    const seg = this.#active;
    const data = Buffer.concat(batch.map((p) => p.frame));
    const sync = batch.some((p) => p.sync);
    // O_DSYNC makes only the bytes of its own write durable: after lazy (ack-only) writes,
    // a plain write + whole-file fdatasync, or a power cut could leave a hole before this batch.
    const fullSync = sync && this.#lazyDirty;
    const fd = sync && !fullSync ? this.#fd.sync : this.#fd.lazy;
    try {
      let off = 0;
      while (off < data.length) off += (await fd.write(data, off, data.length - off)).bytesWritten;
      this.stats.writes += 1;
      if (fullSync) await fd.datasync();
      if (sync) {
        this.stats.fsyncs += 1;
        this.#lastSyncEnd = performance.now();
      }
      this.#lazyDirty = !sync;
    } catch (err) {
      await this.#cutBack(seg.size);
      const code = (err as NodeJS.ErrnoException).code;
      const e = code === 'ENOSPC' || code === 'EDQUOT' ? new OutboxFullError('disk-full', this.#records.size, { cause: err }) : err;
      if (e instanceof OutboxFullError) this.#status = 'disk-full';
      this.#o.log.error('outbox write failed; nothing partial kept', { code, records: batch.length });
      for (const p of batch) p.reject(e);
      return;
    }
    seg.size += data.length;
    for (const p of batch) {
      const r = p.record;
      if (r && r.segment === 0) {
        r.segment = seg.n;
        seg.live += 1;
        this.#index(r);
      } else if (r && this.#records.get(r.id) === r) {
        // a compaction copy: the record now lives in the active segment
        const from = this.#segments.find((s) => s.n === r.segment);
        if (from) from.live -= 1;
        r.segment = seg.n;
        seg.live += 1;
      }
      p.resolve();
    }
    if (this.#status === 'disk-full') this.#status = 'ok';
    if (seg.size >= this.#o.segmentBytes) await this.#roll();
  }

  async #cutBack(size: number): Promise<void> {
    try {
      await this.#fd.sync.truncate(size);
      await this.#fd.sync.datasync();
    } catch (err) {
      this.#o.log.error('outbox: could not cut back a failed write (recovery will)', { err });
    }
  }

  async #roll(): Promise<void> {
    const n = this.#active.n + 1;
    // A closed segment holds no lazy tail: recovery reads damage there as corruption, not a torn write.
    if (this.#lazyDirty) await this.#fd.lazy.datasync();
    this.#lazyDirty = false;
    const fd = await openSegment(join(this.#o.dir, segmentName(n)));
    await fsyncDir(this.#o.dir);
    await closeSegment(this.#fd);
    this.#fd = fd;
    this.#segments.push({ n, size: 0, live: 0 });
  }

  /**
   * One compaction at a time: concurrent acks (or an ack and a full append) each asking for one
   * join the running pass. Two passes at once both deleted the same oldest segment and then
   * shifted two entries off the list, the active segment with them (found by the power-cut test).
   */
  #compact(): Promise<void> {
    this.#compacting ??= this.#compactPass().finally(() => { this.#compacting = undefined; });
    return this.#compacting;
  }

  /** Deletes acked-out segments oldest first; copies forward the live few of a pinned oldest one when space is short. */
  async #compactPass(): Promise<void> {
    for (let guard = 0; guard < 10_000 && this.#segments.length > 1; guard++) {
      const oldest = this.#segments[0] as SegmentInfo;
      if (oldest.live > 0) {
        const short = this.bytes > this.#o.maxBytes / 2 || this.#segments.length > 32;
        if (!short) return;
        const movers = [...this.#records.values()].filter((r) => r.segment === oldest.n);
        const moverBytes = movers.reduce((n, r) => n + r.payload.length + 42 + Buffer.byteLength(r.stream), 0);
        // Copying forward pays only when most of the segment is dead, and needs room to copy.
        if (moverBytes > oldest.size / 4 || this.bytes + moverBytes > this.#o.maxBytes) return;
        for (const r of movers) if (this.#records.get(r.id) === r) await this.#enqueue(encodePut(r.id, r.seq, r.createdMs, r.payload, r.stream), r);
        if (oldest.live > 0) return; // a concurrent write failed: keep the segment
      }
      await rm(join(this.#o.dir, segmentName(oldest.n)), { force: true });
      await fsyncDir(this.#o.dir);
      this.#segments.shift();
    }
  }
}
