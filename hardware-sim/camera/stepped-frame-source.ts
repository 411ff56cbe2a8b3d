/**
 * A simulated camera on virtual time (ManualClock): the consumer always gets the newest frame of
 * the scene at the clock's time, and each frame it takes moves the clock on by `analysisMs` — the
 * time the face worker would have spent on it — so a run behaves as on a reader that analyses
 * 1000 / analysisMs frames a second, however fast or loaded this machine is. When the consumer is
 * quicker than the camera it waits (the clock moves to the next frame). Timers on the clock (a
 * simulated patient reading the screen) fire as time passes. The frames the consumer skipped
 * meanwhile are rendered and shown to `skipped` (the port's glances) when it asks for one.
 */
import type { Frame, FrameSource, FramesOptions, FrameSourceStatus } from '../../firmware/ports/frame-source.ts';
import type { ManualClock } from '../manual-clock.ts';
import type { FrameRenderer } from './clocked-frame-source.ts';

export class SteppedFrameSource implements FrameSource {
  #dropped = 0;
  #closed = false;

  constructor(
    readonly renderer: FrameRenderer,
    readonly o: { readonly clock: ManualClock; readonly fps?: number; readonly analysisMs: number; readonly maxFrames?: number },
  ) {}

  async *frames(signal?: AbortSignal, options: FramesOptions = {}): AsyncGenerator<Frame> {
    const { clock } = this.o;
    const period = 1000 / (this.o.fps ?? 30);
    const t0 = clock.monotonic();
    let last = -1;
    const max = Math.min(this.o.maxFrames ?? 100_000, this.renderer.length);
    for (let taken = 0; taken < max && !this.#closed && !signal?.aborted; taken++) {
      let index = Math.floor((clock.monotonic() - t0) / period + 1e-9);
      if (index <= last) {
        clock.advance(t0 + (last + 1) * period - clock.monotonic());
        index = last + 1;
      }
      if (index >= this.renderer.length) return;
      this.#dropped += Math.max(0, index - last - 1);
      if (options.skipped) this.#glance(last + 1, index, t0, period, options.skipped);
      last = index;
      const data = new Uint8Array(this.renderer.width * this.renderer.height * 3);
      this.renderer.render(index, data);
      yield {
        width: this.renderer.width,
        height: this.renderer.height,
        format: 'rgb24',
        data,
        capturedAt: t0 + index * period,
        sequence: index + 1,
      };
      // The consumer analysed it: that took the worker this long.
      clock.advance(this.o.analysisMs);
      await Promise.resolve();
    }
  }

  /** Frames `from` up to (not including) `to`, rendered into one buffer, shown to `skipped` in turn, then zeroed. */
  #glance(from: number, to: number, t0: number, period: number, skipped: (frame: Frame) => void): void {
    if (from >= to) return;
    const { width, height } = this.renderer;
    const data = new Uint8Array(width * height * 3);
    try {
      for (let i = Math.max(0, from); i < to; i++) {
        this.renderer.render(i, data);
        skipped({ width, height, format: 'rgb24', data, capturedAt: t0 + i * period, sequence: i + 1 });
      }
    } finally {
      data.fill(0);
    }
  }

  status(): FrameSourceStatus {
    return { connected: !this.#closed, fps: this.o.fps ?? 30, dropped: this.#dropped };
  }

  close(): Promise<void> {
    this.#closed = true;
    return Promise.resolve();
  }
}
