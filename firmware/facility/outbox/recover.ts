/**
 * Outbox recovery at open: reads every segment in order, replays PUT and ACK records (an ACK of
 * an id not live may be a dead-letter mark: frame.ts), and
 * truncates a torn tail (power cut mid-write) at the last good record. A bad record in an
 * older segment (media corruption, never a power cut: older segments were fsync'd and closed)
 * keeps the good prefix and leaves a copy of the original beside it as `<name>.corrupt`.
 */
import { copyFile, open, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../../core/logger.ts';
import { deadMarkId, scanFrames } from './frame.ts';

export interface LiveRecord {
  readonly id: string;
  /** The outbox it belongs to ('' when the journal has one). */
  readonly stream: string;
  readonly seq: number;
  readonly createdMs: number;
  readonly payload: Buffer;
  segment: number;
  /** The facility refused it for good: kept, not offered for delivery (a dead letter). */
  dead?: true;
}

export interface SegmentInfo {
  readonly n: number;
  size: number;
  live: number;
}

export interface Recovered {
  readonly records: LiveRecord[];
  readonly segments: SegmentInfo[];
  readonly nextSeq: number;
  readonly truncated: { readonly segment: number; readonly lostBytes: number; readonly reason: string }[];
}

export const segmentName = (n: number): string => `segment-${String(n).padStart(8, '0')}.log`;
const SEGMENT = /^segment-(\d{8})\.log$/;

export async function recover(dir: string, log: Logger): Promise<Recovered> {
  const names = (await readdir(dir)).map((f) => SEGMENT.exec(f)).filter((m): m is RegExpExecArray => m !== null);
  const numbers = names.map((m) => Number(m[1])).sort((a, b) => a - b);
  const live = new Map<string, LiveRecord>();
  const segments: SegmentInfo[] = [];
  const truncated: Recovered['truncated'][number][] = [];
  let nextSeq = 1;
  for (const [i, n] of numbers.entries()) {
    const path = join(dir, segmentName(n));
    const buf = await readFile(path);
    const scan = scanFrames(buf);
    if (scan.bad) {
      const last = i === numbers.length - 1;
      if (!last) await copyFile(path, `${path}.corrupt`);
      const fd = await open(path, 'r+');
      try {
        await fd.truncate(scan.goodBytes);
        await fd.sync();
      } finally {
        await fd.close();
      }
      truncated.push({ segment: n, lostBytes: buf.length - scan.goodBytes, reason: scan.bad });
      (last ? log.warn : log.error).call(log, last ? 'outbox: torn tail record truncated' : 'outbox: corrupt segment, good prefix kept', {
        segment: n,
        reason: scan.bad,
        lostBytes: buf.length - scan.goodBytes,
      });
    }
    for (const f of scan.frames) {
      if (f.type === 'put') {
        if (!live.has(f.id))
          live.set(f.id, { id: f.id, stream: f.stream, seq: f.seq, createdMs: f.createdMs, payload: f.payload, segment: n });
        else (live.get(f.id) as LiveRecord).segment = n; // a compaction copy: the record now lives here
        if (f.seq >= nextSeq) nextSeq = f.seq + 1;
      } else if (!live.delete(f.id)) {
        const r = live.get(deadMarkId(f.id));
        if (r) r.dead = true;
      }
    }
    segments.push({ n, size: scan.goodBytes, live: 0 });
  }
  const records = [...live.values()].sort((a, b) => a.seq - b.seq);
  for (const r of records) {
    const s = segments.find((x) => x.n === r.segment);
    if (s) s.live += 1;
  }
  return { records, segments, nextSeq, truncated };
}
