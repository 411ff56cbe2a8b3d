/**
 * The pipeline's one warp: an affine map with bilinear
 * sampling straight into a model's float NHWC RGB input (letterbox, face crop and similarity
 * alignment are all this warp), from an 8-bit image (raster.ts). The general rotated case is here; the shrinking and axis-aligned
 * cases are in warp-shrink.ts and warp-scale.ts, their shared samples in warp-sampling.ts, and the
 * greyscale statistics in luma.ts. An RGB source has one fast path, its inside runs in WebAssembly
 * (warp-kernels.ts); without kernels (a grey source, or a caller without them) every pixel goes
 * through the per-pixel samples.
 */
import { colsRead, rowsRead, spanFrom, spanTo, bilinearTested, viewOf, bilinearInside, sampleAdd } from './warp-sampling.ts';
import { shrinkRgb } from './warp-shrink.ts';
import { scaleToFloat } from './warp-scale.ts';
import type { WarpKernels } from './warp-kernels.ts';
import type { Affine, Raster } from './raster.ts';

/**
 * Fills `out` (float32 NHWC RGB, 0..255) of size w×h by sampling `src` through `inv`. Shrinking
 * by more than `averageAbove`, each output pixel averages four samples (2×2 around it), so small
 * inputs are not aliased noise; a caller that can live with some aliasing for speed (the detector
 * confirming a followed face) raises it. With `kernels`, an RGB source's inside runs are computed
 * in WebAssembly (warp-kernels.ts: float32, within 2⁻¹¹ of a level of the per-pixel float64 form).
 */
export function warpToFloat(
  src: Raster,
  inv: Affine,
  w: number,
  h: number,
  out: Float32Array,
  averageAbove = 1.8,
  kernels?: WarpKernels,
): void {
  const [a, b, c, d, e, f] = inv;
  if (b === 0 && d === 0 && a <= averageAbove && e <= averageAbove) {
    scaleToFloat(src, a, c, e, f, w, h, out, 0, kernels);
    return;
  }
  const step = Math.hypot(a, d);
  if (src.channels === 3 && kernels) {
    if (step > averageAbove) shrinkRgb(src, inv, w, h, out, step / 4, kernels);
    else bilinearRgb(src, inv, w, h, out, kernels);
    return;
  }
  const { width: sw, height: sh, channels: ch, data } = src;
  const shrink = step > averageAbove;
  const q = step / 4;
  let o = 0;
  for (let y = 0; y < h; y++) {
    let sx = b * y + c;
    let sy = e * y + f;
    for (let x = 0; x < w; x++, o += 3, sx += a, sy += d) {
      out[o] = 0;
      out[o + 1] = 0;
      out[o + 2] = 0;
      if (shrink) {
        sampleAdd(data, sw, sh, ch, sx - q, sy - q, out, o, 0.25);
        sampleAdd(data, sw, sh, ch, sx + q, sy - q, out, o, 0.25);
        sampleAdd(data, sw, sh, ch, sx - q, sy + q, out, o, 0.25);
        sampleAdd(data, sw, sh, ch, sx + q, sy + q, out, o, 0.25);
        continue;
      }
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      if (x0 < 0 || y0 < 0 || x0 + 1 >= sw || y0 + 1 >= sh) {
        sampleAdd(data, sw, sh, ch, sx, sy, out, o, 1);
        continue;
      }
      bilinearInside(data, sw, ch, x0, y0, sx - x0, sy - y0, out, o);
    }
  }
}

/**
 * The general warp of an RGB source, one bilinear sample per output pixel: each row's run of pixels
 * whose 2×2 neighbourhood lies inside the source (sx in [0, sw − 1), the common case) in
 * WebAssembly (warp-kernels.ts's bilinearRow, float32 vectors), the pixels around it through
 * bilinearTested into the kernels' memory; the whole output copied out once.
 */
function bilinearRgb(src: Raster, inv: Affine, w: number, h: number, out: Float32Array, k: WarpKernels): void {
  const [a, b, c, d, e, f] = inv;
  const { width: sw, height: sh, data } = src;
  const bytes = viewOf(data);
  const xMax = sw - 1;
  const yMax = sh - 1;
  const staged = k.layout(data, sw, rowsRead(inv, w, h, 1, sh), colsRead(inv, w, h, 1, sw), w * h * 3, 0);
  const floats = k.floats;
  const carried = k.doubles;
  const o0 = staged.out >> 2;
  let o = o0;
  for (let y = 0; y < h; y++) {
    let sx = b * y + c;
    let sy = e * y + f;
    const lo = Math.min(w, Math.max(0, Math.ceil(Math.max(spanFrom(sx, a, xMax), spanFrom(sy, d, yMax))) + 1));
    const hi = Math.max(lo, Math.min(w, Math.floor(Math.min(spanTo(sx, a, xMax), spanTo(sy, d, yMax))) - 1));
    let x = 0;
    for (; x < lo; x++, o += 3, sx += a, sy += d) bilinearTested(data, bytes, sw, sh, xMax, yMax, sx, sy, floats, o);
    if (hi > lo) {
      k.bilinearRow(staged.src, staged.stride, o * 4, hi - lo, sx, sy, a, d);
      sx = carried[0]!;
      sy = carried[1]!;
      o += (hi - lo) * 3;
      x = hi;
    }
    for (; x < w; x++, o += 3, sx += a, sy += d) bilinearTested(data, bytes, sw, sh, xMax, yMax, sx, sy, floats, o);
  }
  out.set(floats.subarray(o0, o0 + w * h * 3));
}

/** The inverse affine for scaling by `s` (dst = src·s) and translating by (tx, ty). */
export function scaleTranslate(s: number, tx = 0, ty = 0): Affine {
  return [1 / s, 0, -tx / s, 0, 1 / s, -ty / s];
}
