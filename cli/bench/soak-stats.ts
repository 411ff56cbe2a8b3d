/**
 * The soak part of the visit bench: one sample of the process's resources after each visit
 * (RSS, JS heap, external and ArrayBuffer memory, open file descriptors, threads, the broker's RSS), the
 * least-squares trend of a series, a run summarised as means per tenth, the flatness verdict,
 * and which malloc the process runs on (the RSS trend depends on it: see docs/benchmarks/visit.md).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { parseStatus } from './process-memory.ts';

export interface Sample {
  readonly visit: number;
  readonly rssMb: number;
  readonly heapMb: number;
  readonly externalMb: number;
  readonly arrayBuffersMb: number;
  readonly fds: number;
  /** Threads of the process: a worker or an ONNX session made per visit would add some. */
  readonly threads: number;
  readonly brokerRssMb: number | undefined;
}

/** RSS counts as flat when its slope over the second half of the run is at most this. */
export const FLAT_RSS_MB_PER_100 = 5;

/** Least-squares slope of y over x. */
export function slope(xs: readonly number[], ys: readonly number[]): number {
  const n = Math.min(xs.length, ys.length);
  if (n < 2) return 0;
  const mx = xs.slice(0, n).reduce((a, b) => a + b, 0) / n;
  const my = ys.slice(0, n).reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += ((xs[i] ?? 0) - mx) * ((ys[i] ?? 0) - my);
    den += ((xs[i] ?? 0) - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

const mb = (bytes: number): number => Math.round((bytes / 1048576) * 10) / 10;

/** VmRSS of another process in MB, or undefined when it is gone. */
export function rssOf(pid: number | undefined): number | undefined {
  if (!pid) return undefined;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return status.includes('VmRSS:') ? parseStatus(status).rssMb : undefined; // a zombie has no RSS line
  } catch {
    return undefined; // the broker is gone: no sample
  }
}

function threadCount(): number {
  try {
    return parseStatus(readFileSync('/proc/self/status', 'utf8')).threads;
  } catch {
    return NaN;
  }
}

export function sample(visit: number, brokerPid: number | undefined): Sample {
  const m = process.memoryUsage();
  return {
    visit,
    rssMb: mb(m.rss),
    heapMb: mb(m.heapUsed),
    externalMb: mb(m.external),
    arrayBuffersMb: mb(m.arrayBuffers),
    fds: readdirSync('/proc/self/fd').length,
    threads: threadCount(),
    brokerRssMb: rssOf(brokerPid),
  };
}

/** Slope per 100 visits of `pick` over the samples, rounded to 0.01. */
export function per100(samples: readonly Sample[], pick: (s: Sample) => number): number {
  return (
    Math.round(
      slope(
        samples.map((s) => s.visit),
        samples.map(pick),
      ) *
        100 *
        100,
    ) / 100
  );
}

/** Mean of `pick` over each tenth of the run (fewer parts when the run is shorter than 10). */
export function tenths(samples: readonly Sample[], pick: (s: Sample) => number): number[] {
  const parts = Math.min(10, samples.length);
  const out: number[] = [];
  for (let k = 0; k < parts; k++) {
    const part = samples.slice(Math.floor((k * samples.length) / parts), Math.floor(((k + 1) * samples.length) / parts));
    out.push(Math.round(part.reduce((a, s) => a + pick(s), 0) / Math.max(1, part.length)));
  }
  return out;
}

/** The malloc this process runs on: jemalloc when preloaded, else glibc with its arena limit. */
export function allocator(): string {
  try {
    if (readFileSync('/proc/self/maps', 'utf8').includes('libjemalloc'))
      return process.env.MALLOC_CONF ? `jemalloc (MALLOC_CONF=${process.env.MALLOC_CONF})` : 'jemalloc';
  } catch {
    // no /proc: not Linux, report glibc's setting below
  }
  const arenas = process.env.MALLOC_ARENA_MAX;
  return arenas ? `glibc (MALLOC_ARENA_MAX=${arenas})` : 'glibc (default arenas)';
}
