/**
 * The shrinking warp of an RGB source (image.ts's warpToFloat when a map shrinks by more than its
 * averageAbove): four bilinear taps per output pixel, the inside runs in WebAssembly.
 */
import type { Affine, Raster } from './raster.ts';
import { colsRead, rowsRead, spanFrom, spanTo, sampleAdd } from './warp-sampling.ts';
import type { WarpKernels } from './warp-kernels.ts';

/**
 * A shrinking warp of an RGB source: each output pixel is the mean of four bilinear samples at
 * (sx ± q, sy ± q) (anti-aliasing). The inside run of each row (all four taps inside by a margin)
 * in WebAssembly (warp-kernels.ts's shrinkRow, float32 vectors); the pixels around it through
 * shrinkAt into the kernels' memory, the whole output copied out once.
 */
export function shrinkRgb(src: Raster, inv: Affine, w: number, h: number, out: Float32Array, q: number, k: WarpKernels): void {
  const [a, b, c, d, e, f] = inv;
  const { width: sw, height: sh, data } = src;
  const row = sw * 3;
  const staged = k.layout(data, sw, rowsRead(inv, w, h, q, sh), colsRead(inv, w, h, q, sw), w * h * 3, 0);
  const floats = k.floats;
  const carried = k.doubles;
  // shrinkAt's inside test (sx − q ≥ 0, sx + q + 1 < sw) is sx − q in [0, sw − 1 − 2q); likewise sy.
  const xIn = sw - 1 - 2 * q;
  const yIn = sh - 1 - 2 * q;
  const o0 = staged.out >> 2;
  let o = o0;
  for (let y = 0; y < h; y++) {
    let sx = b * y + c;
    let sy = e * y + f;
    const lo = Math.min(w, Math.max(0, Math.ceil(Math.max(spanFrom(sx - q, a, xIn), spanFrom(sy - q, d, yIn))) + 1));
    const hi = Math.max(lo, Math.min(w, Math.floor(Math.min(spanTo(sx - q, a, xIn), spanTo(sy - q, d, yIn))) - 1));
    let x = 0;
    for (; x < lo; x++, o += 3, sx += a, sy += d) shrinkAt(data, sw, sh, row, sx, sy, q, floats, o);
    if (hi > lo) {
      k.shrinkRow(staged.src, staged.stride, o * 4, hi - lo, sx, sy, a, d, q);
      sx = carried[0]!;
      sy = carried[1]!;
      o += (hi - lo) * 3;
      x = hi;
    }
    for (; x < w; x++, o += 3, sx += a, sy += d) shrinkAt(data, sw, sh, row, sx, sy, q, floats, o);
  }
  out.set(floats.subarray(o0, o0 + w * h * 3));
}

/**
 * One output pixel of shrinkRgb at (sx, sy). Inside the source the four taps share two column and two
 * row positions, so their integer parts, fractions and weights are computed once; sums stay in
 * locals (one store per channel). The border goes through sampleAdd.
 */
function shrinkAt(
  data: Uint8Array,
  sw: number,
  sh: number,
  row: number,
  sx: number,
  sy: number,
  q: number,
  out: Float32Array,
  o: number,
): void {
  if (sx - q >= 0 && sy - q >= 0 && sx + q + 1 < sw && sy + q + 1 < sh) {
    // Tap columns xa, xb and rows ya, yb; the taps are (xa, ya), (xb, ya), (xa, yb), (xb, yb).
    const xa = sx - q;
    const xb = sx + q;
    const ya = sy - q;
    const yb = sy + q;
    const xa0 = xa | 0;
    const xb0 = xb | 0;
    const ya0 = ya | 0;
    const yb0 = yb | 0;
    const fxa = xa - xa0;
    const fxb = xb - xb0;
    const fya = ya - ya0;
    const fyb = yb - yb0;
    const ia = ya0 * sw;
    const ib = yb0 * sw;
    const p0 = (ia + xa0) * 3;
    const p1 = (ia + xb0) * 3;
    const p2 = (ib + xa0) * 3;
    const p3 = (ib + xb0) * 3;
    const a00 = (1 - fxa) * (1 - fya);
    const a01 = fxa * (1 - fya);
    const a10 = (1 - fxa) * fya;
    const a11 = fxa * fya;
    const b00 = (1 - fxb) * (1 - fya);
    const b01 = fxb * (1 - fya);
    const b10 = (1 - fxb) * fya;
    const b11 = fxb * fya;
    const c00 = (1 - fxa) * (1 - fyb);
    const c01 = fxa * (1 - fyb);
    const c10 = (1 - fxa) * fyb;
    const c11 = fxa * fyb;
    const d00 = (1 - fxb) * (1 - fyb);
    const d01 = fxb * (1 - fyb);
    const d10 = (1 - fxb) * fyb;
    const d11 = fxb * fyb;
    if (xb0 === xa0 + 1 && yb0 === ya0 + 1) {
      // The taps one pixel apart both ways (a shrink by about 2, the landmark crop): they share
      // a 3×3 block, each pixel read once; the same products summed in the same order as below.
      out[o] = taps9(data, p0, row, a00, a01, a10, a11, b00, b01, b10, b11, c00, c01, c10, c11, d00, d01, d10, d11);
      out[o + 1] = taps9(data, p0 + 1, row, a00, a01, a10, a11, b00, b01, b10, b11, c00, c01, c10, c11, d00, d01, d10, d11);
      out[o + 2] = taps9(data, p0 + 2, row, a00, a01, a10, a11, b00, b01, b10, b11, c00, c01, c10, c11, d00, d01, d10, d11);
      return;
    }
    // The three channels written out (a loop over them is several times slower here).
    let s0 = data[p0]! * a00 + data[p0 + 3]! * a01 + data[p0 + row]! * a10 + data[p0 + row + 3]! * a11;
    s0 += data[p1]! * b00 + data[p1 + 3]! * b01 + data[p1 + row]! * b10 + data[p1 + row + 3]! * b11;
    s0 += data[p2]! * c00 + data[p2 + 3]! * c01 + data[p2 + row]! * c10 + data[p2 + row + 3]! * c11;
    s0 += data[p3]! * d00 + data[p3 + 3]! * d01 + data[p3 + row]! * d10 + data[p3 + row + 3]! * d11;
    out[o] = s0 * 0.25;
    let s1 = data[p0 + 1]! * a00 + data[p0 + 4]! * a01 + data[p0 + row + 1]! * a10 + data[p0 + row + 4]! * a11;
    s1 += data[p1 + 1]! * b00 + data[p1 + 4]! * b01 + data[p1 + row + 1]! * b10 + data[p1 + row + 4]! * b11;
    s1 += data[p2 + 1]! * c00 + data[p2 + 4]! * c01 + data[p2 + row + 1]! * c10 + data[p2 + row + 4]! * c11;
    s1 += data[p3 + 1]! * d00 + data[p3 + 4]! * d01 + data[p3 + row + 1]! * d10 + data[p3 + row + 4]! * d11;
    out[o + 1] = s1 * 0.25;
    let s2 = data[p0 + 2]! * a00 + data[p0 + 5]! * a01 + data[p0 + row + 2]! * a10 + data[p0 + row + 5]! * a11;
    s2 += data[p1 + 2]! * b00 + data[p1 + 5]! * b01 + data[p1 + row + 2]! * b10 + data[p1 + row + 5]! * b11;
    s2 += data[p2 + 2]! * c00 + data[p2 + 5]! * c01 + data[p2 + row + 2]! * c10 + data[p2 + row + 5]! * c11;
    s2 += data[p3 + 2]! * d00 + data[p3 + 5]! * d01 + data[p3 + row + 2]! * d10 + data[p3 + row + 5]! * d11;
    out[o + 2] = s2 * 0.25;
    return;
  }
  out[o] = 0;
  out[o + 1] = 0;
  out[o + 2] = 0;
  sampleAdd(data, sw, sh, 3, sx - q, sy - q, out, o, 0.25);
  sampleAdd(data, sw, sh, 3, sx + q, sy - q, out, o, 0.25);
  sampleAdd(data, sw, sh, 3, sx - q, sy + q, out, o, 0.25);
  sampleAdd(data, sw, sh, 3, sx + q, sy + q, out, o, 0.25);
}

/**
 * One channel of the four-tap mean when the taps are one pixel apart both ways: the 3×3 block at
 * `i` (top-left pixel, this channel) read once, the sums as shrinkRgb's general case forms them.
 */
function taps9(
  data: Uint8Array,
  i: number,
  row: number,
  a00: number,
  a01: number,
  a10: number,
  a11: number,
  b00: number,
  b01: number,
  b10: number,
  b11: number,
  c00: number,
  c01: number,
  c10: number,
  c11: number,
  d00: number,
  d01: number,
  d10: number,
  d11: number,
): number {
  const j = i + row;
  const k = j + row;
  const p00 = data[i]!;
  const p01 = data[i + 3]!;
  const p02 = data[i + 6]!;
  const p10 = data[j]!;
  const p11 = data[j + 3]!;
  const p12 = data[j + 6]!;
  const p20 = data[k]!;
  const p21 = data[k + 3]!;
  const p22 = data[k + 6]!;
  let s = p00 * a00 + p01 * a01 + p10 * a10 + p11 * a11;
  s += p01 * b00 + p02 * b01 + p11 * b10 + p12 * b11;
  s += p10 * c00 + p11 * c01 + p20 * c10 + p21 * c11;
  s += p11 * d00 + p12 * d01 + p21 * d10 + p22 * d11;
  return s * 0.25;
}
