/**
 * The journal's compaction: deletes the oldest segment once all its records are acked, or, when
 * space is short, copies its few live records forward (through the commit queue, like any
 * append, a dead letter with its mark) and then deletes it. Oldest first, so an ack never
 * outlives the record it cancels, and a dead-letter mark never lives in an older segment than its record.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fsyncDir } from '../../core/fs.ts';
import type { JournalAccounting } from './accounting.ts';
import { ACK_FRAME_BYTES, HEADER, encodeDead, encodePut } from './frame.ts';
import { segmentName, type LiveRecord } from './recover.ts';

export interface CompactionOptions {
  readonly dir: string;
  /** The journal's upper bound of all segment files together. */
  readonly maxBytes: number;
  readonly live: JournalAccounting;
  /** Writes a live record's frame again, into the active segment; settles once it is on disk. */
  readonly rewrite: (frame: Buffer, record: LiveRecord) => Promise<void>;
  /** Writes a record's dead-letter mark again (after its copied PUT); settles once it is on disk. */
  readonly rewriteMark: (frame: Buffer) => Promise<void>;
}

export class Compaction {
  readonly #o: CompactionOptions;
  #running: Promise<void> | undefined;

  constructor(options: CompactionOptions) {
    this.#o = options;
  }

  /**
   * One compaction at a time: concurrent acks (or an ack and a full append) each asking for one
   * join the running pass. Two passes at once both deleted the same oldest segment and then
   * shifted two entries off the list, the active segment with them (found by the power-cut test).
   */
  run(): Promise<void> {
    this.#running ??= this.#pass().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  /** After an ack: compacts when the oldest segment is all acked or the journal is over half full. */
  async afterAck(): Promise<void> {
    const live = this.#o.live;
    if (live.segmentCount > 1 && (live.oldest.live === 0 || live.bytes > this.#o.maxBytes / 2)) await this.run();
  }

  /** Deletes acked-out segments oldest first; copies forward the live few of a pinned oldest one when space is short. */
  async #pass(): Promise<void> {
    const { dir, maxBytes, live } = this.#o;
    for (let guard = 0; guard < 10_000 && live.segmentCount > 1; guard++) {
      const oldest = live.oldest;
      if (oldest.live > 0) {
        const short = live.bytes > maxBytes / 2 || live.segmentCount > 32;
        if (!short) return;
        const movers = live.inSegment(oldest.n);
        // a PUT frame of a named stream is HEADER + 34 bytes + name + payload; a dead record's mark moves with it
        const moverBytes = movers.reduce(
          (n, r) => n + HEADER + 34 + Buffer.byteLength(r.stream) + r.payload.length + (r.dead ? ACK_FRAME_BYTES : 0),
          0,
        );
        // Copying forward pays only when most of the segment is dead, and needs room to copy.
        if (moverBytes > oldest.size / 4 || live.bytes + moverBytes > maxBytes) return;
        for (const r of movers) {
          if (!live.isLive(r)) continue;
          await this.#o.rewrite(encodePut(r.id, r.seq, r.createdMs, r.payload, r.stream), r);
          // The mark may sit in the segment about to go: it moves with its record.
          if (r.dead) await this.#o.rewriteMark(encodeDead(r.id));
        }
        if (oldest.live > 0) return; // a concurrent write failed: keep the segment
      }
      await rm(join(dir, segmentName(oldest.n)), { force: true });
      await fsyncDir(dir);
      live.dropOldest();
    }
  }
}
