/**
 * FrameSource over one long-lived ffmpeg process: reads a V4L2 camera, a libcamera camera
 * (rpicam-vid feeding ffmpeg's stdin; the two live and die together) or any ffmpeg input, and
 * streams raw rgb24 frames through a pipe. Newest-frame semantics (stale frames dropped and
 * counted), reconnect with exponential backoff when ffmpeg exits (camera unplugged, device
 * error) or stalls (no frame within `stallMs`), `close()` kills the process. The capture starts
 * on the first `frames()` call (or `start()`) and runs until `close()`.
 */
import { spawn, type ChildProcess, type ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';
import type { Logger } from '../../core/logger.ts';
import type { Clock, TimerHandle } from '../../ports/clock.ts';
import type { Frame, FrameSource, FramesOptions, FrameSourceStatus } from '../../ports/frame-source.ts';
import { feederOf, ffmpegArgs, inputLabel, type Feeder, type FfmpegInput, type OutputShape } from './ffmpeg-input.ts';
import { SingleConsumer } from './frame-iteration.ts';
import { FpsMeter } from './fps-meter.ts';
import { NewestFrameSlot } from './newest-frame-slot.ts';
import { RawFrameParser } from './raw-frame-parser.ts';

export interface FfmpegFrameSourceOptions {
  readonly input: FfmpegInput;
  readonly output: OutputShape;
  readonly clock: Clock;
  readonly log: Logger;
  readonly ffmpegPath?: string;
  /** First reconnect delay; doubles up to `maxBackoffMs`; reset by the first frame after a restart. */
  readonly initialBackoffMs?: number;
  readonly maxBackoffMs?: number;
  /** No frame for this long while running → the process is killed and restarted. */
  readonly stallMs?: number;
}

export interface FfmpegFrameSourceStats extends FrameSourceStatus {
  readonly restarts: number;
  readonly frames: number;
  /** Process id of the running capture (diagnostics: `kaoreader doctor`, tests that unplug). */
  readonly pid: number | undefined;
  readonly lastExit: string | undefined;
}

type Child = ChildProcessByStdio<null, Readable, Readable>;
const STDERR_KEEP = 2048;

export class FfmpegFrameSource implements FrameSource {
  readonly #o: Required<Omit<FfmpegFrameSourceOptions, 'ffmpegPath'>> & { ffmpegPath: string };
  readonly #slot = new NewestFrameSlot();
  readonly #consumer = new SingleConsumer();
  readonly #fps = new FpsMeter();
  readonly #parser: RawFrameParser;
  readonly #args: string[];
  readonly #feeder: Feeder | undefined;
  readonly #log: Logger;
  #child: Child | undefined;
  #feeding: ChildProcess | undefined;
  #started = false;
  #closed = false;
  #connected = false;
  #backoff: number;
  #restartTimer: TimerHandle | undefined;
  #watchdog: TimerHandle | undefined;
  #lastFrameAt = 0;
  #sequence = 0;
  #restarts = 0;
  #lastExit: string | undefined;
  #exited: Promise<void> = Promise.resolve();

  constructor(options: FfmpegFrameSourceOptions) {
    this.#o = { initialBackoffMs: 250, maxBackoffMs: 8000, stallMs: 3000, ffmpegPath: 'ffmpeg', ...options };
    this.#args = ffmpegArgs(options.input, options.output);
    this.#feeder = feederOf(options.input);
    this.#log = options.log;
    this.#backoff = this.#o.initialBackoffMs;
    this.#parser = new RawFrameParser(options.output.width, options.output.height, 3, (data) => this.#onFrame(data));
  }

  frames(signal?: AbortSignal, options?: FramesOptions): AsyncIterable<Frame> {
    return this.#consumer.iterate(this.#slot, signal, () => this.start(), options);
  }

  /** Starts the capture now (otherwise the first `frames()` does). Idempotent. */
  start(): void {
    if (this.#started || this.#closed) return;
    this.#started = true;
    this.#spawn();
  }

  status(): FrameSourceStatus {
    return { connected: this.#connected, fps: this.#fps.fps(), dropped: this.#slot.dropped };
  }

  stats(): FfmpegFrameSourceStats {
    return { ...this.status(), restarts: this.#restarts, frames: this.#sequence, pid: this.#child?.pid, lastExit: this.#lastExit };
  }

  async close(): Promise<void> {
    if (this.#closed) return this.#exited;
    this.#closed = true;
    this.#restartTimer?.cancel();
    this.#watchdog?.cancel();
    this.#slot.close();
    this.#parser.reset();
    const child = this.#child;
    this.#stopFeeder();
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const hard = this.#o.clock.setTimeout(() => child.kill('SIGKILL'), 1000);
      await this.#exited;
      hard.cancel();
    }
    this.#connected = false;
  }

  #spawn(): void {
    this.#parser.reset();
    this.#fps.reset();
    let child: Child;
    let feeding: ChildProcess | undefined;
    try {
      if (this.#feeder) {
        feeding = spawn(this.#feeder.cmd, this.#feeder.args, { stdio: ['ignore', 'pipe', 'pipe'] });
        this.#feeding = feeding;
      }
      child = spawn(this.#o.ffmpegPath, this.#args, { stdio: [feeding?.stdout ?? 'ignore', 'pipe', 'pipe'] }) as Child;
    } catch (err) {
      this.#stopFeeder();
      this.#onExit(`spawn failed: ${(err as Error).message}`);
      return;
    }
    this.#child = child;
    let stderr = '';
    if (feeding) {
      const f = feeding;
      f.stderr?.on('data', (d: Buffer) => {
        stderr = (stderr + d.toString()).slice(-STDERR_KEEP);
      });
      f.once('error', (err) => {
        stderr += `\n${this.#feeder?.cmd ?? 'feeder'}: ${err.message}`;
        child.kill('SIGTERM');
      });
      // the capture ended: ffmpeg gets end of file and exits, which restarts both
      f.once('exit', () => {
        if (this.#feeding === f) this.#feeding = undefined;
      });
    }
    this.#exited = new Promise((resolve) => {
      child.once('close', (code, sig) => {
        if (this.#child === child) this.#child = undefined;
        if (feeding && this.#feeding === feeding) this.#stopFeeder();
        this.#onExit(sig ? `killed by ${sig}` : `exit ${code}${stderr ? `: ${stderr.trim().split('\n').slice(-2).join(' | ')}` : ''}`);
        resolve();
      });
    });
    child.once('error', (err) => {
      stderr += `\n${err.message}`;
    });
    child.stdout.on('data', (chunk: Buffer) => {
      if (this.#child === child) this.#parser.push(chunk);
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-STDERR_KEEP);
    });
    this.#lastFrameAt = this.#o.clock.monotonic();
    this.#armWatchdog();
    this.#log.info('capture started', { input: inputLabel(this.#o.input), pid: child.pid });
  }

  #stopFeeder(): void {
    const f = this.#feeding;
    this.#feeding = undefined;
    if (f && f.exitCode === null && f.signalCode === null) f.kill('SIGTERM');
  }

  #armWatchdog(): void {
    this.#watchdog?.cancel();
    const every = Math.max(50, Math.floor(this.#o.stallMs / 3));
    this.#watchdog = this.#o.clock.setTimeout(() => {
      const child = this.#child;
      if (this.#closed || !child) return;
      if (this.#o.clock.monotonic() - this.#lastFrameAt > this.#o.stallMs) {
        this.#log.warn('capture stalled: restarting', { stallMs: this.#o.stallMs });
        child.kill('SIGKILL');
        return;
      }
      this.#armWatchdog();
    }, every);
  }

  #onFrame(data: Uint8Array): void {
    const now = this.#o.clock.monotonic();
    this.#lastFrameAt = now;
    this.#fps.tick(now);
    if (!this.#connected) {
      this.#connected = true;
      this.#backoff = this.#o.initialBackoffMs;
      this.#log.info('camera connected', { input: inputLabel(this.#o.input) });
    }
    this.#slot.put({
      width: this.#o.output.width,
      height: this.#o.output.height,
      format: 'rgb24',
      data,
      capturedAt: now,
      sequence: ++this.#sequence,
    });
  }

  #onExit(reason: string): void {
    this.#watchdog?.cancel();
    this.#connected = false;
    this.#lastExit = reason;
    this.#parser.reset();
    if (this.#closed) return;
    const delay = this.#backoff;
    this.#backoff = Math.min(this.#o.maxBackoffMs, this.#backoff * 2);
    this.#log.warn('capture ended: reconnecting', { reason, inMs: delay });
    this.#restartTimer = this.#o.clock.setTimeout(() => {
      if (this.#closed) return;
      this.#restarts++;
      this.#spawn();
    }, delay);
  }
}
