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
