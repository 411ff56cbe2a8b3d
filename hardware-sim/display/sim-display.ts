/**
 * Simulated framebuffer: keeps the last frame written (in the configured pixel layout and stride,
 * exactly the bytes a /dev/fbN would receive) and converts frames back to RGBA or PNG on request.
 * Frames may show a face: they stay in memory; PNGs are written only when asked (QA, `screens`).
 */
import sharp from 'sharp';
import { DeviceUnavailableError } from '../../firmware/core/errors.ts';
import type { Display, DisplayGeometry, FramebufferFormat } from '../../firmware/ports/display.ts';
import { bytesPerPixel, frameToRgba } from '../../firmware/display/render/pixel-format.ts';
import type { Rgba } from '../../firmware/display/render/rgba.ts';

export class SimDisplay implements Display {
  readonly geometry: DisplayGeometry;
  #last: Buffer | undefined;
  #closed = false;
  #waiters: (() => void)[] = [];
  readonly #listeners = new Set<(frame: Buffer) => void>();
  frames = 0;
  /** When the last frame was written (`now()`, ms), for timings that end when the panel shows it. */
  lastFrameAt = Number.NaN;

  constructor(
    width = 1024,
    height = 600,
    format: FramebufferFormat = 'XRGB8888',
    stridePadding = 0,
    readonly now: () => number = () => performance.now(),
  ) {
    this.geometry = { width, height, format, stride: width * bytesPerPixel(format) + stridePadding };
  }

  show(pixels: Uint8Array): Promise<void> {
    if (this.#closed) return Promise.reject(new DeviceUnavailableError('simulated display', 'it was closed'));
    const want = this.geometry.stride * this.geometry.height;
    if (pixels.length !== want)
      return Promise.reject(new DeviceUnavailableError('simulated display', `frame has ${pixels.length} bytes, want ${want}`));
    this.#last = Buffer.from(pixels);
    this.frames++;
    this.lastFrameAt = this.now();
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w();
    for (const l of this.#listeners) l(this.#last);
    return Promise.resolve();
  }

  /**
   * Calls `listener` with each frame's device bytes as it is written (a live view, QA). The
   * buffer is the display's own copy of that frame and is never written again. Returns the
   * function that stops the calls.
   */
  onFrame(listener: (frame: Buffer) => void): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  /** Resolves when the next frame has been written. */
  nextFrame(): Promise<void> {
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /** The last frame's device bytes, or undefined before the first frame. */
  lastFrame(): Buffer | undefined {
    return this.#last;
  }

  /** The last frame as RGBA (decoded from the device layout). */
  lastRgba(): Rgba {
    if (!this.#last) throw new DeviceUnavailableError('simulated display', 'nothing was shown yet');
    return frameToRgba(this.#last, this.geometry);
  }

  /** RGBA of the pixel at (x, y) of the last frame. */
  pixel(x: number, y: number): [number, number, number] {
    const { data, width } = this.lastRgba();
    const i = (y * width + x) * 4;
    return [data[i] as number, data[i + 1] as number, data[i + 2] as number];
  }

  async capturePng(file?: string): Promise<Buffer> {
    const rgba = this.lastRgba();
    const png = sharp(rgba.data, { raw: { width: rgba.width, height: rgba.height, channels: 4 } }).png();
    if (file) await png.toFile(file);
    return png.toBuffer();
  }

  close(): Promise<void> {
    this.#closed = true;
    this.#listeners.clear();
    return Promise.resolve();
  }
}
