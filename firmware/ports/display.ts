/**
 * Display port: a framebuffer-like surface (a Linux `/dev/fbN`, or the simulator's capture).
 *
 * Semantics:
 * - `geometry` is read once from the device (width, height, stride, pixel layout) and does not
 *   change while open.
 * - `show(pixels)` writes one whole frame already converted to the device's pixel layout
 *   (`geometry.format`, `geometry.stride` bytes per row); it resolves when the bytes are written.
 * - Unplug/close: `show` rejects with `DeviceUnavailableError`; `close()` is idempotent.
 */
export type FramebufferFormat = 'RGB565' | 'XRGB8888' | 'RGB888' | 'XBGR8888';

export interface DisplayGeometry {
  readonly width: number;
  readonly height: number;
  /** Bytes per row in device memory (may exceed width × bytes per pixel). */
  readonly stride: number;
  readonly format: FramebufferFormat;
}

export interface Display {
  readonly geometry: DisplayGeometry;
  show(pixels: Uint8Array): Promise<void>;
  close(): Promise<void>;
}
