/**
 * The per-pixel float64 reference the warp tests (warp-bound, shrink-bound, scale-bound) hold
 * firmware/face/pipeline/image.ts to within WARP_BOUND, written apart from it, one byte at a time: a seeded noise raster, and one channel of the bilinear
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

/**
 * How far any warp output value may be from the float64 reference (grey levels, 0..255 scale):
 * 2⁻¹¹ ≈ 0.00049, two thousand times below the 8-bit input's step. What the WebAssembly kernels
 * (warp-kernels.ts) may be off by, u = 2⁻²⁴ being float32's relative rounding and every partial
 * sum ≤ 255 (the weights sum to 1):
 * - their float32 arithmetic: each weight rounded (≤ 255u over the sum), each product (≤ 255u) and
 *   each addition (≤ 255u apiece): 5·255u ≈ 0.76e-4 for a bilinear sample (4 products, 3 sums),
 *   17·255u ≈ 2.6e-4 for the shrinking warp's four taps (16 products, 15 sums);
 * - their fixed-point sample points, at most (k + 1)·2⁻³³ of a pixel off after k pixels of a run
 *   (runs are shorter than 1,000 pixels: < 1.2e-7 px), which moves a sample by at most
 *   2·255 levels a pixel times that: < 0.6e-4;
 * - the reference's own rounding to float32 (half a unit in the last place at 255: 2⁻¹⁷ ≈ 0.08e-4).
 * Worst case 3.4e-4 < 2⁻¹¹; measured on noise (neighbours differing by up to 255): 0.3–0.5e-4.
 * A wrong weight, tap or pixel is off by a whole level or more; coarser fixed point (16 fraction
 * bits) by ≈ 0.05 levels.
 */
export const WARP_BOUND = 2 ** -11;

/** How `got` is farther than `bound` from `want`: empty when no value is (NaN counts as farther). */
export function boundedDifference(got: Float32Array, want: Float32Array, bound: number): string {
  let beyond = 0;
  let worst = -1;
  let worstAt = -1;
  for (let i = 0; i < want.length; i++) {
    const d = Math.abs(got[i]! - want[i]!);
    if (!(d <= bound)) {
      beyond++;
      if (!(d <= worst)) {
        worst = d;
        worstAt = i;
      }
    }
  }
  return beyond === 0 ? '' : `${beyond} values beyond ${bound}, the worst at ${worstAt}: ${got[worstAt]} vs ${want[worstAt]}`;
}

/** The map of a `size`² crop of side `side` centred at (cx, cy), turned by `angle` (as viewToFrame builds it). */
export function turned(cx: number, cy: number, side: number, angle: number, size: number): Affine {
  const s = side / size;
  const ca = Math.cos(angle) * s;
  const sa = Math.sin(angle) * s;
  const h = size / 2;
  return [ca, -sa, cx - ca * h + sa * h, sa, ca, cy - sa * h - ca * h];
}
