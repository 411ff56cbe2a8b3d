/**
 * Starts our own pcscd (tests, benches) in the foreground (root; the vpcd reader from
 * /etc/reader.conf.d/vpcd listens on 127.0.0.1:35963) and stops it by pid.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';

export interface Pcscd {
  readonly child: ChildProcess;
  stop(): Promise<void>;
}

const SOCKET = '/run/pcscd/pcscd.comm';

export async function startPcscd(): Promise<Pcscd> {
  const child = spawn('pcscd', ['-f'], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  for (let i = 0; i < 100 && !existsSync(SOCKET); i++) await new Promise((r) => setTimeout(r, 50));
  if (!existsSync(SOCKET)) throw new Error('pcscd did not create its socket (is another pcscd running?)');
  await new Promise((r) => setTimeout(r, 300)); // let vpcd start listening
  return {
    child,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}
