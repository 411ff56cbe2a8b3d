/**
 * A FrameSource over frames made in memory (synthetic test sequences). Each frame is handed
 * out as a fresh copy (the consumer owns and wipes it). With a clock and `fps` it paces frames
 * like a camera and drops the ones the consumer was too busy to take; without, it yields as
 * fast as it is asked. Ends after the last frame (or loops `loops` times).
 */
import type { Clock } from '../../firmware/ports/clock.ts';
import type { Frame, FrameSource, FrameSourceStatus, PixelFormat } from '../../firmware/ports/frame-source.ts';

export interface StillFrame {
  readonly width: number;
  readonly height: number;
  readonly format: PixelFormat;
  readonly data: Uint8Array;
}

export class ArrayFrameSource implements FrameSource {
  #closed = false;
  #dropped = 0;

  constructor(
    private readonly stills: readonly StillFrame[],
    private readonly opts: { readonly clock?: Clock; readonly fps?: number; readonly loops?: number } = {},
  ) {}

  async *frames(signal?: AbortSignal): AsyncIterable<Frame> {
    const { clock, fps = 30, loops = 1 } = this.opts;
    const period = 1000 / fps;
    const start = clock?.monotonic() ?? 0;
    const total = this.stills.length * loops;
    let i = 0;
    while (i < total && !this.#closed && !signal?.aborted) {
      if (clock) {
        // The camera has moved on to the frame of "now"; frames in between were dropped.
        const due = Math.floor((clock.monotonic() - start) / period);
        if (due > i) {
          this.#dropped += due - i;
          i = due;
          if (i >= total) break;
        }
        const wait = start + i * period - clock.monotonic();
        if (wait > 0) await clock.sleep(wait, signal).catch(() => undefined);
        if (signal?.aborted) break;
      }
      const still = this.stills[i % this.stills.length]!;
      yield {
        width: still.width,
        height: still.height,
        format: still.format,
        data: still.data.slice(),
        capturedAt: start + i * period,
        sequence: i,
      };
      i++;
    }
  }

  status(): FrameSourceStatus {
    return { connected: !this.#closed, fps: this.opts.fps ?? 30, dropped: this.#dropped };
  }

  close(): Promise<void> {
    this.#closed = true;
    return Promise.resolve();
  }
}
