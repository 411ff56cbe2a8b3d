/**
 * An output through the GPIO character device (`/dev/gpiochipN`), driven by libgpiod's
 * `gpioset` (Debian package `gpiod`): the interface that works on a Pi 5, whose GPIO sits on
 * the RP1 chip where rpio's register access does not reach, as on a Pi 4 and other boards.
 * Lines are found by name (`GPIO17`: the Pi's device trees name them so on every model and
 * chip). A line is requested only while a `gpioset` holds it, so each value is one `gpioset`
 * process holding the line until the next value replaces it (libgpiod 1.x: `--mode=signal`
 * on the chip and offset `gpiofind` gives; 2.x holds by default and takes the name). On close
 * the holder stops and one gpioset sets the line low and exits, so it is released low (the Pi's GPIO blocks keep the level). No addon: nothing to
 * build per Node ABI.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { DeviceUnavailableError } from '../../core/errors.ts';
import type { Logger } from '../../core/logger.ts';
import type { OutputLine } from './output-line.ts';

export type Run = (cmd: string, args: readonly string[]) => Promise<string>;
export type Spawn = (cmd: string, args: readonly string[]) => ChildProcess;

const run: Run = (cmd, args) =>
  new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout: 5_000 }, (err, stdout) => (err ? reject(err) : resolve(stdout)));
  });
const hold: Spawn = (cmd, args) => spawn(cmd, args, { stdio: 'ignore' });

export interface GpiodTools {
  /** gpioset arguments that hold `value` on the line. */
  args(value: 0 | 1): string[];
  /** gpioset arguments that set `value` and exit. */
  once(value: 0 | 1): string[];
}

/** Finds a named line and how this libgpiod's gpioset holds it. */
export async function resolveGpiodLine(name: string, r: Run = run): Promise<GpiodTools> {
  let version: string;
  try {
    version = await r('gpioset', ['--version']);
  } catch (err) {
    throw new DeviceUnavailableError('gpioset', 'install the Debian package "gpiod" (libgpiod tools)', { cause: err });
  }
  const major = /v(\d+)\./.exec(version)?.[1];
  if (major === '1') {
    let found: string;
    try {
      found = (await r('gpiofind', [name])).trim();
    } catch (err) {
      throw new DeviceUnavailableError(`GPIO line ${name}`, 'no GPIO chip names a line so (gpioinfo lists them)', { cause: err });
    }
    const [chip, offset] = found.split(/\s+/);
    if (!chip || !offset || !/^\d+$/.test(offset)) throw new DeviceUnavailableError(`GPIO line ${name}`, `gpiofind answered "${found}"`);
    return { args: (v) => ['--mode=signal', chip, `${offset}=${v}`], once: (v) => ['--mode=exit', chip, `${offset}=${v}`] };
  }
  return { args: (v) => [`${name}=${v}`], once: (v) => ['--toggle', '0', `${name}=${v}`] };
}

export class GpiodLine implements OutputLine {
  readonly name: string;
  #holder: ChildProcess | undefined;
  #value: 0 | 1 | undefined;
  #closed = false;

  constructor(
    line: string,
    private readonly tools: GpiodTools,
    private readonly log: Logger,
    private readonly spawnHolder: Spawn = hold,
    private readonly runOnce: Run = run,
  ) {
    this.name = `gpiod:${line}`;
  }

  set(on: boolean): void {
    if (this.#closed) return;
    this.#hold(on ? 1 : 0);
  }

  #hold(value: 0 | 1): void {
    if (this.#value === value && this.#holder?.exitCode === null) return;
    this.#release();
    const child = this.spawnHolder('gpioset', this.tools.args(value));
    child.once('error', (err) => this.log.warn('gpioset failed', { line: this.name, err }));
    child.once('exit', (code, signal) => {
      if (this.#holder === child && signal === null) this.log.warn('gpioset ended by itself', { line: this.name, code });
    });
    this.#holder = child;
    this.#value = value;
  }

  #release(): ChildProcess | undefined {
    const child = this.#holder;
    this.#holder = undefined;
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    return child;
  }

  /** Releases the line low: the holder is stopped, then one gpioset sets it low and exits (bounded by its 5 s timeout). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const child = this.#release();
    if (child && child.exitCode === null && child.signalCode === null) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          child.kill('SIGKILL');
          resolve();
        }, 2_000);
        child.once('exit', () => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    this.#value = 0;
    await this.runOnce('gpioset', this.tools.once(0)).catch((err: unknown) =>
      this.log.warn('gpioset could not set the line low on close', { line: this.name, err }),
    );
  }
}
