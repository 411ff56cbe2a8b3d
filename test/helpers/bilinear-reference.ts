/**
 * The per-pixel reference the exact warp tests (warp-exact, scale-exact) hold firmware/face/pipeline/image.ts
 * to, written apart from it, one byte at a time: a seeded noise raster, and one channel of the bilinear
 * sample at (x0 + fx, y0 + fy) — inside the source the four weights (1 − fx)(1 − fy), fx(1 − fy),
 * (1 − fx)fy, fx·fy times the four pixels summed in that order; across an edge the two-lerp sample
 * with black outside; zero beyond (referenceLerp, also the shrinking warp's sample at its border); and
 * the turned crop maps the rotated and shrinking cases share.
 */
import type { Affine, Raster } from '../../firmware/face/pipeline/raster.ts';

export function noise(width: number, height: number, seed: number): Raster {
  const data = new Uint8Array(width * height * 3);
  let s = seed;
  for (let i = 0; i < data.length; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    data[i] = (s >>> 16) & 255;
  }
  return { width, height, channels: 3, data };
}

/** Channel `k` of `src` at (x0 + fx, y0 + fy); pixels outside the source read 0. */
export function referenceSample(src: Raster, x0: number, y0: number, fx: number, fy: number, k: number): number {
  const { width: sw, height: sh, data } = src;
  const px = (x: number, y: number): number => (x < 0 || y < 0 || x >= sw || y >= sh ? 0 : data[(y * sw + x) * 3 + k]!);
  if (x0 >= 0 && y0 >= 0 && x0 + 1 < sw && y0 + 1 < sh) {
    let v = px(x0, y0) * ((1 - fx) * (1 - fy)) + px(x0 + 1, y0) * (fx * (1 - fy));
    v = v + px(x0, y0 + 1) * ((1 - fx) * fy);
    return v + px(x0 + 1, y0 + 1) * (fx * fy);
  }
  return 0 + 1 * referenceLerp(src, x0, y0, fx, fy, k);
}

/** Channel `k` at (x0 + fx, y0 + fy) as two lerps (top and bottom rows, then between them), black outside; 0 beyond. */
export function referenceLerp(src: Raster, x0: number, y0: number, fx: number, fy: number, k: number): number {
  const { width: sw, height: sh, data } = src;
  const px = (x: number, y: number): number => (x < 0 || y < 0 || x >= sw || y >= sh ? 0 : data[(y * sw + x) * 3 + k]!);
  if (!(x0 >= -1 && y0 >= -1 && x0 < sw && y0 < sh)) return 0;
  const top = px(x0, y0) + (px(x0 + 1, y0) - px(x0, y0)) * fx;
  const bottom = px(x0, y0 + 1) + (px(x0 + 1, y0 + 1) - px(x0, y0 + 1)) * fx;
  return top + (bottom - top) * fy;
}

/** How `got` differs from `want`, value by value with Object.is (−0, NaN and float bits count): empty when equal. */
export function exactDifference(got: Float32Array, want: Float32Array): string {
  let differing = 0;
  let first = -1;
  for (let i = 0; i < want.length; i++)
    if (!Object.is(got[i], want[i])) {
      differing++;
      if (first < 0) first = i;
    }
  return differing === 0 ? '' : `${differing} values differ, the first at ${first}: ${got[first]} vs ${want[first]}`;
}

/** The map of a `size`² crop of side `side` centred at (cx, cy), turned by `angle` (as viewToFrame builds it). */
export function turned(cx: number, cy: number, side: number, angle: number, size: number): Affine {
  const s = side / size;
  const ca = Math.cos(angle) * s;
  const sa = Math.sin(angle) * s;
  const h = size / 2;
  return [ca, -sa, cx - ca * h + sa * h, sa, ca, cy - sa * h - ca * h];
}
