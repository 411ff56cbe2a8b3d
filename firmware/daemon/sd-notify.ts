/**
 * systemd notification (READY, WATCHDOG, STOPPING, STATUS) through `systemd-notify`, because
 * Node has no AF_UNIX datagram sockets. Silent (no process spawned) when NOTIFY_SOCKET is not
 * set, i.e. when not run under systemd. The unit must say `NotifyAccess=all`, since the message
 * comes from a helper process.
 */
import { spawn } from 'node:child_process';

export interface Notifier {
  readonly active: boolean;
  /** Watchdog interval the service manager asked for, ms (0 = none). */
  readonly watchdogMs: number;
  notify(fields: Readonly<Record<string, string>>): Promise<void>;
}

export type Spawner = (cmd: string, args: readonly string[]) => Promise<number>;

const spawnAndWait: Spawner = (cmd, args) =>
  new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: 'ignore' });
    child.on('error', () => resolve(-1));
    child.on('close', (code) => resolve(code ?? -1));
  });

export function systemdNotifier(env: NodeJS.ProcessEnv = process.env, run: Spawner = spawnAndWait, pid = process.pid): Notifier {
  const socket = env['NOTIFY_SOCKET'];
  const usec = Number(env['WATCHDOG_USEC'] ?? 0);
  const watchPid = Number(env['WATCHDOG_PID'] ?? pid);
  const watchdogMs = socket && Number.isFinite(usec) && usec > 0 && watchPid === pid ? Math.floor(usec / 1000) : 0;
  if (!socket) return { active: false, watchdogMs: 0, notify: () => Promise.resolve() };
  return {
    active: true,
    watchdogMs,
    async notify(fields) {
      const args = [`--pid=${pid}`, ...Object.entries(fields).map(([k, v]) => `${k}=${v}`)];
      await run('systemd-notify', args);
    },
  };
}
