/**
 * The real Display: a Linux framebuffer device (`/dev/fbN`). Geometry comes from sysfs once at
 * open; `show` writes one whole frame at offset 0 with positional writes (no mmap, no native
 * module). Errors from the device become DeviceUnavailableError.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { basename } from 'node:path';
import { DeviceUnavailableError, KaoreaderError } from '../../core/errors.ts';
import type { Display, DisplayGeometry, FramebufferFormat } from '../../ports/display.ts';
import { readFbGeometry } from './sysfs-geometry.ts';

export class FrameLengthError extends KaoreaderError {
  readonly code = 'FRAME_LENGTH';
}

export interface FbDisplayOptions {
  /** Device node, default /dev/fb0. */
  readonly device?: string;
  /** sysfs directory, default /sys/class/graphics/<basename of device>. */
  readonly sysfs?: string;
  readonly format?: FramebufferFormat;
}

export class FbDisplay implements Display {
  #handle: FileHandle | undefined;
  #closed = false;

  private constructor(
    readonly device: string,
    readonly geometry: DisplayGeometry,
    handle: FileHandle,
  ) {
    this.#handle = handle;
  }

  static async open(options: FbDisplayOptions = {}): Promise<FbDisplay> {
    const device = options.device ?? '/dev/fb0';
    const geometry = await readFbGeometry(options.sysfs ?? `/sys/class/graphics/${basename(device)}`, options.format);
    let handle: FileHandle;
    try {
      handle = await open(device, 'r+');
    } catch (err) {
      throw new DeviceUnavailableError(`framebuffer ${device}`, 'check the panel driver and that the user is in the "video" group', {
        cause: err,
      });
    }
    return new FbDisplay(device, geometry, handle);
  }

  async show(pixels: Uint8Array): Promise<void> {
    const h = this.#handle;
    if (!h || this.#closed) throw new DeviceUnavailableError(`framebuffer ${this.device}`, 'the display was closed');
    const want = this.geometry.stride * this.geometry.height;
    if (pixels.length !== want) throw new FrameLengthError(`frame has ${pixels.length} bytes, ${this.device} wants ${want}`);
    try {
      let done = 0;
      for (let i = 0; i < 64 && done < want; i++) {
        const { bytesWritten } = await h.write(pixels, done, want - done, done);
        if (bytesWritten <= 0) break;
        done += bytesWritten;
      }
      if (done !== want) throw new Error(`short write: ${done} of ${want} bytes`);
    } catch (err) {
      throw new DeviceUnavailableError(`framebuffer ${this.device}`, 'the panel stopped accepting writes (unplugged?)', { cause: err });
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const h = this.#handle;
    this.#handle = undefined;
    await h?.close();
  }
}
