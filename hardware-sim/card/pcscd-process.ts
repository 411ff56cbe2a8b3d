/**
 * Starts our own pcscd in the foreground for tests and benches (root; the vpcd reader from
 * /etc/reader.conf.d/vpcd listens on port 35963) and stops it by its pid. Refuses to start when
 * another pcscd already owns the socket, and never leaves its child behind on failure.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { DeviceUnavailableError } from '../../firmware/core/errors.ts';

export interface Pcscd {
  readonly child: ChildProcess;
  stop(): Promise<void>;
}

const SOCKET = '/run/pcscd/pcscd.comm';
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function startPcscd(): Promise<Pcscd> {
  const before = existsSync(SOCKET) ? statSync(SOCKET).mtimeMs : undefined;
  const child = spawn('pcscd', ['-f'], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await Promise.race([exited, sleep(3000)]);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  const fresh = (): boolean => existsSync(SOCKET) && statSync(SOCKET).mtimeMs !== before;
  for (let i = 0; i < 100 && !fresh() && child.exitCode === null; i++) await sleep(50);
  if (child.exitCode !== null || !fresh()) {
    await stop();
    throw new DeviceUnavailableError('pcscd', 'could not start our own pcscd (is another one running? are we root?)');
  }
  await sleep(300); // vpcd starts listening right after
  return { child, stop };
}
