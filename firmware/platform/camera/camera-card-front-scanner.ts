/**
 * CardFrontScanner on a camera over the card tray: each `scan()` runs one short ffmpeg capture
 * (V4L2 device, or any ffmpeg input in tests) that writes a single still as 8-bit grey at the
 * configured size. One capture at a time, bounded by `timeoutMs`; the process is killed on
 * abort, timeout or close. The image is the caller's to wipe (it shows the card).
 */
import { spawn } from 'node:child_process';
import { CancelledError, DeviceUnavailableError, TimeoutError } from '../../core/errors.ts';
import type { Logger } from '../../core/logger.ts';
import type { CardFrontImage, CardFrontScanner } from '../../ports/card-front-scanner.ts';
import { ffmpegArgs, inputLabel, type FfmpegInput } from './ffmpeg-input.ts';

export interface CameraCardFrontScannerOptions {
  readonly input: FfmpegInput;
  readonly width: number;
  readonly height: number;
  readonly log: Logger;
  readonly ffmpegPath?: string;
  /** Longest one still may take (camera start-up included). */
  readonly timeoutMs?: number;
}

const STDERR_KEEP = 1024;

export class CameraCardFrontScanner implements CardFrontScanner {
  readonly #args: string[];
  readonly #label: string;
  #busy: Promise<unknown> = Promise.resolve();
  #closed = new AbortController();

  constructor(private readonly o: CameraCardFrontScannerOptions) {
    this.#args = ffmpegArgs(o.input, { width: o.width, height: o.height, pixelFormat: 'gray', frames: 1 });
    this.#label = inputLabel(o.input);
  }

  scan(signal?: AbortSignal): Promise<CardFrontImage> {
    const run = this.#busy.then(() => this.#capture(signal));
    this.#busy = run.catch(() => undefined);
    return run;
  }

  close(): Promise<void> {
    this.#closed.abort();
    return this.#busy.then(() => undefined);
  }

  #capture(signal: AbortSignal | undefined): Promise<CardFrontImage> {
    const { width, height } = this.o;
    const size = width * height;
    return new Promise<CardFrontImage>((resolve, reject) => {
      if (this.#closed.signal.aborted)
        return reject(new DeviceUnavailableError(`card-front camera ${this.#label}`, 'the scanner is closed'));
      if (signal?.aborted) return reject(new CancelledError('card-front scan'));
      const child = spawn(this.o.ffmpegPath ?? 'ffmpeg', this.#args, { stdio: ['ignore', 'pipe', 'pipe'] });
      const data = new Uint8Array(size);
      let filled = 0;
      let stderr = '';
      let failure: Error | undefined;
      const fail = (err: Error): void => {
        failure ??= err;
        child.kill('SIGKILL');
      };
      const onAbort = (): void => fail(new CancelledError('card-front scan'));
      const onClose = (): void =>
        fail(new DeviceUnavailableError(`card-front camera ${this.#label}`, 'the scanner was closed during a scan'));
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#closed.signal.addEventListener('abort', onClose, { once: true });
      const timer = setTimeout(() => fail(new TimeoutError('card-front scan', this.o.timeoutMs ?? 5000)), this.o.timeoutMs ?? 5000);
      child.stdout.on('data', (chunk: Buffer) => {
        const n = Math.min(chunk.length, size - filled);
        data.set(chunk.subarray(0, n), filled);
        filled += n;
        chunk.fill(0);
      });
      child.stderr.on('data', (chunk: Buffer) => {
        stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_KEEP);
      });
      child.on('error', (err) => fail(new DeviceUnavailableError('ffmpeg', 'install ffmpeg (Debian package ffmpeg)', { cause: err })));
      child.on('close', (code) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.#closed.signal.removeEventListener('abort', onClose);
        if (!failure && filled < size) {
          failure = new DeviceUnavailableError(
            `card-front camera ${this.#label}`,
            `no still captured (ffmpeg exit ${String(code)}: ${stderr.trim().split('\n').pop() ?? ''})`,
          );
        }
        if (failure) {
          data.fill(0);
          this.o.log.warn('card-front scan failed', { camera: this.#label, code: (failure as { code?: string }).code });
          reject(failure);
          return;
        }
        resolve({ width, height, data });
      });
    });
  }
}
