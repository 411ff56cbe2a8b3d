/**
 * Greyscale statistics of an 8-bit image for the face statistics: the luma of a pixel, the mean
 * luma of a region, the variance of a grey plane's Laplacian (sharpness).
 */
import type { Raster } from './raster.ts';

export interface Region {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export function luma(src: Raster, x: number, y: number): number {
  const i = (y * src.width + x) * src.channels;
  return src.channels === 1 ? src.data[i]! : 0.299 * src.data[i]! + 0.587 * src.data[i + 1]! + 0.114 * src.data[i + 2]!;
}

function clampRegion(src: Raster, r: Region): { x0: number; y0: number; x1: number; y1: number } {
  return {
    x0: Math.max(0, Math.floor(r.x)),
    y0: Math.max(0, Math.floor(r.y)),
    x1: Math.min(src.width, Math.ceil(r.x + r.width)),
    y1: Math.min(src.height, Math.ceil(r.y + r.height)),
  };
}

/** Mean luma of a region (sampled on a grid of at most ~64×64 points); NaN when empty. */
export function meanLuma(src: Raster, r: Region): number {
  const { x0, y0, x1, y1 } = clampRegion(src, r);
  const step = Math.max(1, Math.floor(Math.max(x1 - x0, y1 - y0) / 64));
  let sum = 0;
  let n = 0;
  if (src.channels === 1) {
    for (let y = y0; y < y1; y += step)
      for (let x = x0; x < x1; x += step) {
        sum += src.data[y * src.width + x]!;
        n++;
      }
    return n ? sum / n : Number.NaN;
  }
  // luma() inlined for RGB (the same expression, so the same sums).
  const { data, width } = src;
  for (let y = y0; y < y1; y += step) {
    for (let x = x0, i = (y * width + x0) * 3; x < x1; x += step, i += step * 3) {
      sum += 0.299 * data[i]! + 0.587 * data[i + 1]! + 0.114 * data[i + 2]!;
      n++;
    }
  }
  return n ? sum / n : Number.NaN;
}

/** Variance of the 4-neighbour Laplacian of a float grey plane (sharpness). */
export function laplacianVariance(grey: Float32Array, w: number, h: number): number {
  let sum = 0;
  let sq = 0;
  let n = 0;
  for (let y = 1; y < h - 1; y++) {
    for (let x = 1; x < w - 1; x++) {
      const i = y * w + x;
      const l = grey[i - 1]! + grey[i + 1]! + grey[i - w]! + grey[i + w]! - 4 * grey[i]!;
      sum += l;
      sq += l * l;
      n++;
    }
  }
  return n ? sq / n - (sum / n) ** 2 : 0;
}
