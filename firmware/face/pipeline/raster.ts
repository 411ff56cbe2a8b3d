/**
 * The pipeline's images and maps: a tightly packed 8-bit raster, and the inverse affine map the
 * warps (image.ts) sample it through.
 */
export interface Raster {
  readonly width: number;
  readonly height: number;
  /** 1 (grey) or 3 (RGB). */
  readonly channels: 1 | 3;
  readonly data: Uint8Array;
}

/**
 * Inverse map as a 2×3 matrix [a, b, c, d, e, f]: destination (x, y) samples the source at
 * (a·x + b·y + c, d·x + e·y + f). Pixels falling outside the source are black.
 */
export type Affine = readonly [number, number, number, number, number, number];
