/**
 * A simulated camera: frames at `fps` on the injected Clock, with the port's newest-frame
 * semantics. Each tick makes frame n the newest; a tick that replaces a frame nobody took counts
 * as dropped. Pixels are rendered only when the consumer takes a frame, by a FrameRenderer that
 * draws frame n as seen at n / fps seconds — or when a frame it did not take is dropped while it
 * asked to be shown those (the port's `skipped` glances: the face attempt times blinks on them), into
 * one buffer kept for the iteration and zeroed after each; without `skipped` a dropped frame costs
 * nothing.
 * `unplug()` / `replug()` simulate the USB cable.
 */
import { throwIfAborted } from '../../firmware/core/errors.ts';
import { NewestSlot } from '../../firmware/core/newest-slot.ts';
import { FrameSourceBusyError } from '../../firmware/platform/camera/errors.ts';
import type { Clock, TimerHandle } from '../../firmware/ports/clock.ts';
import type { Frame, FrameSource, FramesOptions, FrameSourceStatus } from '../../firmware/ports/frame-source.ts';

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

interface Tick {
  readonly index: number;
  readonly at: number;
}

export class ClockedFrameSource implements FrameSource {
  readonly fps: number;
  #timer: TimerHandle | undefined;
  #t0 = 0;
  #next = 0;
  readonly #slot = new NewestSlot<Tick>({ what: 'frame wait', discard: (tick) => this.#glance(tick) });
  /** The consumer's glance at the frames it does not take (for one `frames()` iteration), and where they are drawn. */
  #skipped: FramesOptions['skipped'];
  #glanceData: Uint8Array | undefined;
  #started = false;
  #closed = false;
  #connected = true;
  #busy = false;
  #ended = false;

  constructor(
    readonly renderer: FrameRenderer,
    readonly options: ClockedFrameSourceOptions,
  ) {
    this.fps = options.fps ?? 30;
  }

  async *frames(signal?: AbortSignal, options: FramesOptions = {}): AsyncGenerator<Frame> {
    if (this.#busy) throw new FrameSourceBusyError();
    this.#busy = true;
    this.#skipped = options.skipped;
    try {
      this.start();
      while (true) {
        throwIfAborted(signal, 'frame wait');
        const tick = await this.#slot.take(signal);
        if (!tick) return;
        const data = new Uint8Array(this.renderer.width * this.renderer.height * 3);
        this.renderer.render(tick.index, data);
        yield {
          width: this.renderer.width,
          height: this.renderer.height,
          format: 'rgb24',
          data,
          capturedAt: tick.at,
          sequence: tick.index + 1,
        };
      }
    } finally {
      this.#skipped = undefined;
      this.#glanceData = undefined;
      this.#busy = false;
    }
  }

  /** A frame the consumer did not take, drawn and shown to its `skipped` (if any), then zeroed. */
  #glance(tick: Tick): void {
    const skipped = this.#skipped;
    if (!skipped || this.#closed) return;
    const { width, height } = this.renderer;
    const data = (this.#glanceData ??= new Uint8Array(width * height * 3));
    try {
      this.renderer.render(tick.index, data);
      skipped({ width, height, format: 'rgb24', data, capturedAt: tick.at, sequence: tick.index + 1 });
    } finally {
      data.fill(0);
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
    return {
      connected: this.#connected && !this.#closed,
      fps: this.#connected && this.#started && !this.#ended ? this.fps : 0,
      dropped: this.#slot.dropped,
    };
  }

  /** The cable is pulled: no frames until `replug()`. */
  unplug(): void {
    this.#connected = false;
    this.#slot.clear();
  }

  replug(): void {
    this.#connected = true;
  }

  close(): Promise<void> {
    this.#closed = true;
    this.#timer?.cancel();
    this.#slot.close();
    return Promise.resolve();
  }

  #schedule(): void {
    if (this.#closed) return;
    if (this.#next >= this.renderer.length) {
      this.#ended = true;
      this.#slot.end();
      return;
    }
    const due = this.#t0 + (this.#next * 1000) / this.fps;
    this.#timer = this.options.clock.setTimeout(() => this.#tick(due), Math.max(0, due - this.options.clock.monotonic()));
  }

  #tick(at: number): void {
    const index = this.#next++;
    if (this.#connected) this.#slot.put({ index, at });
    this.#schedule();
  }
}
