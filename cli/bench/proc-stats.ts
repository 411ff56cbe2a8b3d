/**
 * CPU accounting of a process from /proc for the facility bench: CPU time (user + system),
 * peak RSS, and run-queue wait (time its threads were ready to run but waited for a CPU,
 * from /proc/<pid>/task/<tid>/schedstat). On a shared machine the wait is what turns into
 * latency: it shows how much of an ack's time was spent queueing for a core.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** CPU time of a process in ms (clock ticks of 10 ms, CLK_TCK 100). */
export function procCpuMs(pid: number | 'self' | undefined): number {
  if (!pid) return 0;
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return ((Number(f[11]) || 0) + (Number(f[12]) || 0)) * 10;
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
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    ms = ((Number(f[11]) || 0) + (Number(f[12]) || 0) + (Number(f[13]) || 0) + (Number(f[14]) || 0)) * 10;
  } catch {
    return 0;
  }
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const ppid = Number(readFileSync(`/proc/${d}/stat`, 'utf8').split(') ')[1]?.split(' ')[1]);
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
