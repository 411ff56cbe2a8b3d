/**
 * Cuts a raw rgb24 byte stream (ffmpeg's stdout) into fixed-size frames. Memory is bounded:
 * one frame being filled, whatever the chunking of the pipe. Incoming chunks are zeroed after
 * copying (they hold face pixels). `reset()` drops a partial frame (after a restart of the
 * capture process, so a torn frame is never emitted).
 */
export class RawFrameParser {
  readonly frameBytes: number;
  #buf: Uint8Array;
  #fill = 0;

  constructor(
    readonly width: number,
    readonly height: number,
    readonly channels = 3,
    readonly onFrame: (data: Uint8Array) => void,
  ) {
    this.frameBytes = width * height * channels;
    this.#buf = new Uint8Array(this.frameBytes);
  }

  /** Feeds one chunk; calls `onFrame` for every frame it completes (the callee owns the array). */
  push(chunk: Uint8Array): void {
    let off = 0;
    while (off < chunk.length) {
      const n = Math.min(this.frameBytes - this.#fill, chunk.length - off);
      this.#buf.set(chunk.subarray(off, off + n), this.#fill);
      this.#fill += n;
      off += n;
      if (this.#fill === this.frameBytes) {
        const done = this.#buf;
        this.#buf = new Uint8Array(this.frameBytes);
        this.#fill = 0;
        this.onFrame(done);
      }
    }
    chunk.fill(0);
  }

  /** Bytes of the frame being filled. */
  get pending(): number {
    return this.#fill;
  }

  reset(): void {
    this.#buf.fill(0);
    this.#fill = 0;
  }
}
