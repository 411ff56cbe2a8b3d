/**
 * The disk's own commit latency while a bench runs: every `everyMs` a small append to a file of
 * its own in the bench's folder and an fdatasync, timed (what a commit that waits for its flush
 * pays at least). An ack waits for its batch's commit, so a disk that stalls for 200 ms now and
 * then sets the ack tail whatever the service does; this shows whether it did during the run.
 * One append of `bytes` per probe: a light load beside the rig's own.
 */
import { open, rm } from 'node:fs/promises';
import { join } from 'node:path';

export interface DiskProbeReport {
  readonly samples: number;
  readonly fdatasyncMs: { readonly p50: number; readonly p95: number; readonly p99: number; readonly max: number };
  /** probes whose flush took longer than 50 ms (the ack target) */
  readonly over50ms: number;
}

export function startDiskProbe(
  dir: string,
  o: { readonly bytes?: number; readonly everyMs?: number } = {},
): { stop(): Promise<DiskProbeReport> } {
  const path = join(dir, 'disk-probe.bin');
  const block = Buffer.alloc(o.bytes ?? 16_384, 0x6b);
  const times: number[] = [];
  let stopping = false;
  const run = (async () => {
    const fh = await open(path, 'a');
    try {
      // Bounded: one probe per `everyMs` until stopped, at most a day's worth.
      for (let i = 0; !stopping && i < 86_400_000 / (o.everyMs ?? 50); i++) {
        await fh.write(block);
        const t0 = performance.now();
        await fh.datasync();
        times.push(performance.now() - t0);
        await new Promise((r) => setTimeout(r, o.everyMs ?? 50));
      }
    } finally {
      await fh.close();
      await rm(path, { force: true });
    }
  })();
  return {
    async stop() {
      stopping = true;
      await run;
      const s = [...times].sort((a, b) => a - b);
      const at = (p: number): number => Math.round((s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? 0) * 10) / 10;
      return {
        samples: s.length,
        fdatasyncMs: { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: at(1) },
        over50ms: s.filter((x) => x > 50).length,
      };
    },
  };
}
