/**
 * CPU accounting of a process from /proc for the facility bench: CPU time (user + system),
 * peak RSS, and run-queue wait (time its threads were ready to run but waited for a CPU,
 * from /proc/<pid>/task/<tid>/schedstat). On a shared machine the wait is what turns into
 * latency: it shows how much of an ack's time was spent queueing for a core.
 */
import { readdirSync, readFileSync } from 'node:fs';

/**
 * A /proc stat line: the command name between its parentheses, and the fields after it (state
 * first), read after the last ') ' since a name may hold one.
 */
function readStat(path: string): { name: string; fields: string[] } {
  const stat = readFileSync(path, 'utf8');
  return { name: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')), fields: stat.slice(stat.lastIndexOf(') ') + 2).split(' ') };
}

/** The sum of stat fields `at` (clock ticks of 10 ms, CLK_TCK 100) in ms. */
function ticksMs(fields: readonly string[], ...at: number[]): number {
  return at.reduce((sum, i) => sum + (Number(fields[i]) || 0), 0) * 10;
}

/** CPU time of a process in ms (clock ticks of 10 ms, CLK_TCK 100). */
export function procCpuMs(pid: number | 'self' | undefined): number {
  if (!pid) return 0;
  try {
    return ticksMs(readStat(`/proc/${pid}/stat`).fields, 11, 12);
  } catch {
    return 0;
  }
}

/**
 * CPU time in ms of a server process and its children (PostgreSQL: the postmaster and its
 * backends): its own time, the time of its children that exited and were reaped (cutime +
 * cstime), and the time of its children alive now. A backend that exits between two readings
 * moves from the last term to the second, so differences stay exact.
 */
export function treeCpuMs(pid: number | undefined): number {
  if (!pid) return 0;
  let ms = 0;
  try {
    ms = ticksMs(readStat(`/proc/${pid}/stat`).fields, 11, 12, 13, 14);
  } catch {
    return 0;
  }
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const ppid = Number(readStat(`/proc/${d}/stat`).fields[1]);
      if (ppid === pid) ms += procCpuMs(Number(d));
    } catch {
      // the process exited meanwhile
    }
  }
  return ms;
}

/** VmRSS or VmHWM (peak) of a process in KiB. */
export function procRssKb(pid: number | 'self' | undefined, field: 'VmRSS' | 'VmHWM'): number {
  if (!pid) return 0;
  try {
    const m = new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return Number(m?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** Sum over the process's threads of the time spent runnable but not running, in ms (0 when unavailable). */
export function runQueueWaitMs(pid: number | 'self' | undefined): number {
  if (!pid) return 0;
  let ns = 0;
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try {
        ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[1]) || 0;
      } catch {
        // the thread exited meanwhile
      }
    }
  } catch {
    return 0;
  }
  return ns / 1e6;
}

/** Read- and write-class system calls a process made so far (/proc/<pid>/io syscr, syscw; 0 when unavailable). */
export function procSyscalls(pid: number | 'self' | undefined): { reads: number; writes: number } {
  if (!pid) return { reads: 0, writes: 0 };
  try {
    const io = readFileSync(`/proc/${pid}/io`, 'utf8');
    const field = (name: string): number => Number(new RegExp(`^${name}: (\\d+)$`, 'm').exec(io)?.[1] ?? 0);
    return { reads: field('syscr'), writes: field('syscw') };
  } catch {
    return { reads: 0, writes: 0 };
  }
}

/**
 * CPU time in ms (user, system) of a process's threads grouped by kind, from
 * /proc/<pid>/task/<tid>/stat: `main` the event loop (MainThread), `workers` worker threads
 * (the service's SQLite store and checkpointer), `gc` V8's helper threads (parallel GC,
 * compilation), `io` libuv's pool, `other` the rest. Threads that exited meanwhile are not
 * counted, so compare two readings of long-lived threads.
 */
export type ThreadKind = 'main' | 'workers' | 'gc' | 'io' | 'other';
export function threadCpuMs(pid: number | 'self' | undefined): Record<ThreadKind, { user: number; system: number }> {
  const out: Record<ThreadKind, { user: number; system: number }> = {
    main: { user: 0, system: 0 },
    workers: { user: 0, system: 0 },
    gc: { user: 0, system: 0 },
    io: { user: 0, system: 0 },
    other: { user: 0, system: 0 },
  };
  if (!pid) return out;
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const tid of tids) {
    try {
      const { name, fields } = readStat(`/proc/${pid}/task/${tid}/stat`);
      const t = out[threadKind(name, String(tid) === String(pid === 'self' ? process.pid : pid))];
      t.user += ticksMs(fields, 11);
      t.system += ticksMs(fields, 12);
    } catch {
      // the thread exited meanwhile
    }
  }
  return out;
}

function threadKind(name: string, isMain: boolean): ThreadKind {
  if (isMain) return 'main';
  if (name.startsWith('WorkerThread')) return 'workers';
  if (name.startsWith('V8Worker')) return 'gc';
  if (name.startsWith('libuv-worker')) return 'io';
  return 'other';
}
