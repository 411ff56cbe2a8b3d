/**
 * Writes the journal's batches to the active segment and rolls over to the next one. A batch
 * holding a record goes through the O_DSYNC descriptor (durable when `write` returns); an
 * ack-only batch through the plain one. O_DSYNC makes only the bytes of its own write durable,
 * so after lazy (ack-only) writes a record batch is written plainly and the whole file
 * fdatasync'd: otherwise a power cut could leave a hole before it. A failed write is cut back
 * to the last good record, so nothing partial is ever kept.
 */
import { join } from 'node:path';
import { fsyncDir } from '../../core/fs.ts';
import type { Logger } from '../../core/logger.ts';
import { segmentName } from './recover.ts';
import { closeSegment, openSegment, type SegmentFiles } from './segment-files.ts';

export class SegmentWriter {
  #fd: SegmentFiles;
  /** Ack-only bytes were written through the lazy descriptor since the last fdatasync. */
  #lazyDirty = false;
  /** When the last write holding a record ended (monotonic ms; -Infinity before the first). */
  #lastSyncEnd = -Infinity;
  /** Write and fsync counts (group commit shows as fsyncs ≪ records). */
  readonly stats = { writes: 0, fsyncs: 0 };

  private constructor(
    private readonly dir: string,
    fd: SegmentFiles,
    private readonly log: Logger,
  ) {
    this.#fd = fd;
  }

  /** Opens segment `n` for appending. */
  static async open(dir: string, n: number, log: Logger): Promise<SegmentWriter> {
    const fd = await openSegment(join(dir, segmentName(n)));
    // The previous process may have left lazily written acks in the page cache (a clean stop or
    // a kill -9, not a power cut): make them durable before the first O_DSYNC write, which would
    // otherwise sit behind a hole after a power cut and be cut off with it (found by the power-cut test).
    await fd.sync.datasync();
    await fsyncDir(dir);
    return new SegmentWriter(dir, fd, log);
  }

  get lastSyncEnd(): number {
    return this.#lastSyncEnd;
  }

  /** Appends `data` (durably when `sync`); on failure cuts the segment back to `goodSize` and throws. */
  async write(data: Buffer, sync: boolean, goodSize: number): Promise<void> {
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
      await this.#cutBack(goodSize);
      throw err;
    }
  }

  async #cutBack(size: number): Promise<void> {
    try {
      await this.#fd.sync.truncate(size);
      await this.#fd.sync.datasync();
    } catch (err) {
      this.log.error('outbox: could not cut back a failed write (recovery will)', { err });
    }
  }

  /** Closes the active segment and opens segment `n`. */
  async roll(n: number): Promise<void> {
    // A closed segment holds no lazy tail: recovery reads damage there as corruption, not a torn write.
    await this.#flushLazy();
    const fd = await openSegment(join(this.dir, segmentName(n)));
    await fsyncDir(this.dir);
    await closeSegment(this.#fd);
    this.#fd = fd;
  }

  async close(): Promise<void> {
    await this.#flushLazy();
    await closeSegment(this.#fd);
  }

  async #flushLazy(): Promise<void> {
    if (this.#lazyDirty) await this.#fd.lazy.datasync();
    this.#lazyDirty = false;
  }
}
