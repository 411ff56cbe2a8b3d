/**
 * The journal's accounting, in memory: every live record by id and by stream (in append order),
 * and every segment with its size and the number of live records it holds. Compaction reads it
 * to choose what to delete or copy forward; nothing here touches the disk.
 */
import type { LiveRecord, SegmentInfo } from './recover.ts';

export class JournalAccounting {
  readonly #records = new Map<string, LiveRecord>();
  readonly #streams = new Map<string, Map<string, LiveRecord>>();
  readonly #segments: SegmentInfo[];

  /** From what recovery found; an empty journal starts with segment 1. */
  constructor(records: readonly LiveRecord[], segments: readonly SegmentInfo[]) {
    this.#segments = segments.length > 0 ? [...segments] : [{ n: 1, size: 0, live: 0 }];
    for (const r of records) this.index(r);
  }

  /** The segment appends go to (the newest). */
  get active(): SegmentInfo {
    return this.#segments[this.#segments.length - 1] as SegmentInfo;
  }
  get oldest(): SegmentInfo {
    return this.#segments[0] as SegmentInfo;
  }
  get segmentCount(): number {
    return this.#segments.length;
  }
  get bytes(): number {
    return this.#segments.reduce((n, s) => n + s.size, 0);
  }
  get recordCount(): number {
    return this.#records.size;
  }

  get(id: string): LiveRecord | undefined {
    return this.#records.get(id);
  }
  isLive(r: LiveRecord): boolean {
    return this.#records.get(r.id) === r;
  }
  inSegment(n: number): LiveRecord[] {
    return [...this.#records.values()].filter((r) => r.segment === n);
  }

  /** Live records of one stream, in append order (read-only: the journal owns them). */
  records(stream: string): ReadonlyMap<string, LiveRecord> {
    let m = this.#streams.get(stream);
    if (!m) this.#streams.set(stream, (m = new Map()));
    return m;
  }

  index(r: LiveRecord): void {
    this.#records.set(r.id, r);
    (this.records(r.stream) as Map<string, LiveRecord>).set(r.id, r);
  }

  /** Forgets an acked record; the returned function undoes it (the ack did not reach the disk). */
  forget(r: LiveRecord): () => void {
    this.#records.delete(r.id);
    this.#streams.get(r.stream)?.delete(r.id);
    const seg = this.#segments.find((s) => s.n === r.segment);
    if (seg) seg.live -= 1;
    return () => {
      this.index(r);
      if (seg) seg.live += 1;
    };
  }

  /**
   * A record's frame is on disk in `seg`: a new record (segment 0) is indexed there; a live
   * record copied forward by compaction moves there from its old segment.
   */
  written(r: LiveRecord, seg: SegmentInfo): void {
    if (r.segment === 0) {
      r.segment = seg.n;
      seg.live += 1;
      this.index(r);
    } else if (this.isLive(r)) {
      const from = this.#segments.find((s) => s.n === r.segment);
      if (from) from.live -= 1;
      r.segment = seg.n;
      seg.live += 1;
    }
  }

  addSegment(n: number): void {
    this.#segments.push({ n, size: 0, live: 0 });
  }

  dropOldest(): void {
    this.#segments.shift();
  }
}
