/**
 * A child process that reports on stdout one line at a time (reader-process.ts,
 * facility-process.ts): lines go to `onLine`; `kill9()` resolves once it is gone; `end()` closes
 * its stdin (the clean stop) and waits up to `graceMs` before killing it.
 */
import { spawn, type ChildProcess } from 'node:child_process';

export class LineChild {
  readonly #child: ChildProcess;
  readonly #exited: Promise<void>;

  constructor(program: string, args: readonly string[], onLine: (line: string) => void) {
    this.#child = spawn(process.execPath, ['--import', 'tsx', program, ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
    this.#exited = new Promise((resolve) => this.#child.once('exit', () => resolve()));
    let buf = '';
    this.#child.stdout?.on('data', (d: Buffer) => {
      const lines = (buf + d.toString()).split('\n');
      buf = lines.pop() ?? '';
      for (const l of lines) onLine(l);
    });
  }

  get running(): boolean {
    return this.#child.exitCode === null && this.#child.signalCode === null;
  }

  async kill9(): Promise<void> {
    if (this.running) this.#child.kill('SIGKILL');
    await this.#exited;
  }

  async end(graceMs = 5000): Promise<void> {
    this.#child.stdin?.end();
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), graceMs);
    await this.#exited;
    clearTimeout(timer);
  }
}
