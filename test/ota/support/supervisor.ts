/**
 * A stand-in for systemd's restart logic, for tests that run without systemd: ExecStartPre
 * (the start guard) then ExecStart; Restart=on-failure (non-zero exit or killed by a signal),
 * RestartForceExitStatus (intentional restart), RestartSec, StartLimitBurst within
 * StartLimitIntervalSec. Stops when the service exits 0, when the start limit is hit, or
 * after `maxStarts` (bounded).
 */
import { spawn } from 'node:child_process';

export type Cmd = readonly [string, readonly string[]];

export interface SupervisorOptions {
  readonly pre?: Cmd;
  readonly start: (n: number) => Cmd;
  readonly restartSec?: number;
  readonly startLimitBurst?: number;
  readonly startLimitIntervalMs?: number;
  readonly forceRestartCodes?: readonly number[];
  readonly maxStarts?: number;
  readonly timeoutMs?: number;
}

export interface Run {
  readonly n: number;
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly out: string;
}

function exec(cmd: Cmd, timeoutMs: number): Promise<Run & { n: 0 }> {
  return new Promise((resolve) => {
    const child = spawn(cmd[0], [...cmd[1]], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      out += d.toString();
    });
    const t = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(t);
      resolve({ n: 0, code, signal, out });
    });
  });
}

export async function supervise(o: SupervisorOptions): Promise<{ result: 'exited' | 'start-limit' | 'max-starts'; runs: Run[] }> {
  const runs: Run[] = [];
  const starts: number[] = [];
  const limit = o.startLimitBurst ?? 10;
  const interval = o.startLimitIntervalMs ?? 600_000;
  for (let n = 1; n <= (o.maxStarts ?? 20); n++) {
    const now = Date.now();
    starts.push(now);
    if (starts.filter((t) => now - t < interval).length > limit) return { result: 'start-limit', runs };
    if (o.pre) {
      const pre = await exec(o.pre, o.timeoutMs ?? 30_000);
      if (pre.code !== 0) {
        runs.push({ ...pre, n, out: `ExecStartPre failed: ${pre.out}` });
        await new Promise((r) => setTimeout(r, o.restartSec ?? 0));
        continue;
      }
    }
    const r = await exec(o.start(n), o.timeoutMs ?? 30_000);
    runs.push({ ...r, n });
    const forced = r.code !== null && (o.forceRestartCodes ?? [75]).includes(r.code);
    const failed = r.signal !== null || (r.code !== 0 && r.code !== null);
    if (!forced && !failed) return { result: 'exited', runs };
    await new Promise((res) => setTimeout(res, o.restartSec ?? 0));
  }
  return { result: 'max-starts', runs };
}
