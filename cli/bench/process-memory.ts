/**
 * Process memory for the benches, from Linux's own accounting: /proc/<pid>/status splits
 * RSS into anonymous memory (malloc heaps of every thread, V8's heap), file-backed pages (code,
 * mmapped fonts) and shared memory; process.memoryUsage() adds V8's view (heap, Buffers).
 * `topFiles` names the mapped files with the most resident pages (/proc/self/smaps).
 */
import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export interface MemorySnapshot {
  readonly rssMb: number;
  readonly anonMb: number;
  readonly fileMb: number;
  readonly shmemMb: number;
  readonly threads: number;
  /** V8 heap reserved (young + old generation) and in use. */
  readonly heapTotalMb: number;
  readonly heapUsedMb: number;
  /** Memory of C++ objects bound to JS objects, including every Buffer's bytes. */
  readonly externalMb: number;
  readonly arrayBuffersMb: number;
}

const mb = (bytes: number): number => Number((bytes / 1048576).toFixed(1));

/** Fields of /proc/<pid>/status in MB ("VmRSS:  1234 kB"); 0 for a field not present. */
export function parseStatus(text: string): Pick<MemorySnapshot, 'rssMb' | 'anonMb' | 'fileMb' | 'shmemMb' | 'threads'> {
  const field = (name: string): number => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(text)?.[1] ?? 0);
  return {
    rssMb: mb(field('VmRSS') * 1024),
    anonMb: mb(field('RssAnon') * 1024),
    fileMb: mb(field('RssFile') * 1024),
    shmemMb: mb(field('RssShmem') * 1024),
    threads: field('Threads'),
  };
}

export function snapshot(): MemorySnapshot {
  const m = process.memoryUsage();
  return {
    ...parseStatus(readFileSync('/proc/self/status', 'utf8')),
    heapTotalMb: mb(m.heapTotal),
    heapUsedMb: mb(m.heapUsed),
    externalMb: mb(m.external),
    arrayBuffersMb: mb(m.arrayBuffers),
  };
}

/** `after − before`, field by field. */
export function difference(after: MemorySnapshot, before: MemorySnapshot): MemorySnapshot {
  const d = {} as Record<keyof MemorySnapshot, number>;
  for (const k of Object.keys(after) as (keyof MemorySnapshot)[])
    d[k] = k === 'threads' ? after[k] - before[k] : Number((after[k] - before[k]).toFixed(1));
  return d;
}

/** Resident MB per mapped file (summed over its mappings), largest first; anonymous maps left out. */
export function topFiles(smaps: string, n: number): { file: string; mb: number }[] {
  const byFile = new Map<string, number>();
  let current: string | undefined;
  for (const line of smaps.split('\n')) {
    const head = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (head) {
      current = head[1]?.startsWith('/') ? head[1] : undefined;
      continue;
    }
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (rss && current) byFile.set(current, (byFile.get(current) ?? 0) + Number(rss[1]));
  }
  return [...byFile]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([file, kb]) => ({ file, mb: mb(kb * 1024) }));
}

export function residentFiles(n = 8): { file: string; mb: number }[] {
  return topFiles(readFileSync('/proc/self/smaps', 'utf8'), n);
}

/**
 * A full, synchronous V8 garbage collection, so two snapshots compare live memory rather than
 * whatever garbage the last collection happened to leave (bench only: exposes `gc` once).
 */
export function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}
