/**
 * Camera port: a stream of frames from one long-lived capture (V4L2 through ffmpeg, or a
 * simulated source).
 *
 * Semantics:
 * - `frames()` yields the newest frame each time the consumer asks; frames that arrive while
 *   the consumer is busy are dropped, never queued (`dropped` counts them). One consumer at a time.
 * - A frame's `data` is owned by the consumer once yielded (it may be transferred to a worker and
 *   must be wiped after use: it is a face image).
 * - Unplug: the source yields nothing while the camera is gone and reconnects by itself;
 *   `status()` says which. `close()` ends the iteration and stops the capture; idempotent.
 */
export type PixelFormat = 'rgb24' | 'gray8';

export interface Frame {
  readonly width: number;
  readonly height: number;
  readonly format: PixelFormat;
  /** Tightly packed pixels, row-major. */
  readonly data: Uint8Array;
  /** Monotonic capture time, ms. */
  readonly capturedAt: number;
  readonly sequence: number;
}

export interface FrameSourceStatus {
  readonly connected: boolean;
  readonly fps: number;
  readonly dropped: number;
}

export interface FramesOptions {
  /**
   * Shown each frame the consumer does not take (it was busy), in capture order, synchronously,
   * before the frame is zeroed: a glance costs the source nothing it would not spend anyway, so the
   * consumer can look at a few pixels of every camera frame while it analyses one in a few. It must
   * not keep `data` nor throw. A source that cannot offer them never calls it.
   */
  readonly skipped?: (frame: Frame) => void;
}

export interface FrameSource {
  frames(signal?: AbortSignal, options?: FramesOptions): AsyncIterable<Frame>;
  status(): FrameSourceStatus;
  close(): Promise<void>;
}
