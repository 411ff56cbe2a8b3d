/** A frame in memory as the renderer makes it: 8-bit RGBA, row-major, no padding; a layer is placed at (left, top). */
export interface Rgba {
  readonly data: Buffer;
  readonly width: number;
  readonly height: number;
}

/** An RGBA layer covering part of the screen, its top-left pixel at (left, top). */
export interface Layer extends Rgba {
  readonly left: number;
  readonly top: number;
}
