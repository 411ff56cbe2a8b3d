/**
 * A simulated camera: frames at `fps` on the injected Clock, with the port's newest-frame
 * semantics. Each tick makes frame n the newest; a tick that replaces a frame nobody took counts
 * as dropped. Pixels are rendered only when the consumer takes a frame (a dropped frame costs
 * nothing), by a FrameRenderer that draws frame n as seen at n / fps seconds.
 * `unplug()` / `replug()` simulate the USB cable.
 */
import { CancelledError, throwIfAborted } from '../../firmware/core/errors.ts';
import { FrameSourceBusyError } from '../../firmware/platform/camera/errors.ts';
import type { Clock, TimerHandle } from '../../firmware/ports/clock.ts';
import type { Frame, FrameSource, FrameSourceStatus } from '../../firmware/ports/frame-source.ts';

export interface FrameRenderer {
  readonly width: number;
  readonly height: number;
  /** Frames in the sequence (Infinity: endless). */
  readonly length: number;
  /** Draws frame `index` into `out` (rgb24, width·height·3). */
  render(index: number, out: Uint8Array): void;
}

export interface ClockedFrameSourceOptions {
  readonly clock: Clock;
  readonly fps?: number;
}

interface Tick { readonly index: number; readonly at: number }

export class ClockedFrameSource implements FrameSource {
  readonly fps: number;
  #timer: TimerHandle | undefined;
  #t0 = 0;
  #next = 0;
  #latest: Tick | undefined;
  #waiter: ((t: Tick | undefined) => void) | undefined;
  #started = false;
  #closed = false;
  #connected = true;
  #busy = false;
  #dropped = 0;
  #ended = false;

  constructor(readonly renderer: FrameRenderer, readonly options: ClockedFrameSourceOptions) {
    this.fps = options.fps ?? 30;
  }

  async *frames(signal?: AbortSignal): AsyncGenerator<Frame> {
    if (this.#busy) throw new FrameSourceBusyError();
    this.#busy = true;
    try {
      this.start();
      while (true) {
        throwIfAborted(signal, 'frame wait');
        const tick = await this.#take(signal);
        if (!tick) return;
        const data = new Uint8Array(this.renderer.width * this.renderer.height * 3);
        this.renderer.render(tick.index, data);
        yield { width: this.renderer.width, height: this.renderer.height, format: 'rgb24', data, capturedAt: tick.at, sequence: tick.index + 1 };
      }
    } finally {
      this.#busy = false;
    }
  }

  start(): void {
    if (this.#started || this.#closed) return;
    this.#started = true;
    this.#t0 = this.options.clock.monotonic();
    this.#schedule();
  }

  /** Seconds of the sequence shown now (0 before the first `frames()`): frame n is at n / fps. */
  elapsedSec(): number {
    return this.#started ? (this.options.clock.monotonic() - this.#t0) / 1000 : 0;
  }

  status(): FrameSourceStatus {
    return { connected: this.#connected && !this.#closed, fps: this.#connected && this.#started && !this.#ended ? this.fps : 0, dropped: this.#dropped };
  }

  /** The cable is pulled: no frames until `replug()`. */
  unplug(): void {
    this.#connected = false;
    this.#latest = undefined;
  }

  replug(): void {
    this.#connected = true;
  }

  close(): Promise<void> {
    this.#closed = true;
    this.#timer?.cancel();
    this.#latest = undefined;
    this.#wake(undefined);
    return Promise.resolve();
  }

  #schedule(): void {
    if (this.#closed) return;
    if (this.#next >= this.renderer.length) {
      this.#ended = true;
      if (!this.#latest) this.#wake(undefined);
      return;
    }
    const due = this.#t0 + (this.#next * 1000) / this.fps;
    this.#timer = this.options.clock.setTimeout(() => this.#tick(due), Math.max(0, due - this.options.clock.monotonic()));
  }

  #tick(at: number): void {
    const index = this.#next++;
    if (this.#connected) {
      const t = { index, at };
      if (this.#waiter) this.#wake(t);
      else {
        if (this.#latest) this.#dropped++;
        this.#latest = t;
      }
    }
    this.#schedule();
  }

  #wake(t: Tick | undefined): void {
    const w = this.#waiter;
    this.#waiter = undefined;
    w?.(t);
  }

  #take(signal?: AbortSignal): Promise<Tick | undefined> {
    if (this.#latest) {
      const t = this.#latest;
      this.#latest = undefined;
      return Promise.resolve(t);
    }
    if (this.#closed || this.#ended) return Promise.resolve(undefined);
    if (signal?.aborted) return Promise.reject(new CancelledError('frame wait', { cause: signal.reason }));
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        this.#waiter = undefined;
        reject(new CancelledError('frame wait', { cause: signal?.reason }));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiter = (t) => {
        signal?.removeEventListener('abort', onAbort);
        resolve(t);
      };
    });
  }
}
