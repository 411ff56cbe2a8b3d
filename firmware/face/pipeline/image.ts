/**
 * Pixel operations the pipeline needs, in plain JS on tightly packed 8-bit images:
 * an affine warp with bilinear sampling straight into a model's float NHWC RGB input
 * (letterbox, face crop and similarity alignment are all this one warp), and greyscale
 * statistics (mean, Laplacian variance) over a region.
 */
import { SCALE_ENTRY, type WarpKernels } from './warp-kernels.ts';

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

/**
 * Fills `out` (float32 NHWC RGB, 0..255) of size w×h by sampling `src` through `inv`. Shrinking
 * by more than `averageAbove`, each output pixel averages four samples (2×2 around it), so small
 * inputs are not aliased noise; a caller that can live with some aliasing for speed (the detector
 * confirming a followed face) raises it. With `kernels`, an RGB source's inside runs are computed
 * in WebAssembly (warp-kernels.ts), bit for bit the same output.
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
  if (src.channels === 3) {
    if (step > averageAbove) shrinkRgb(src, inv, w, h, out, step / 4, kernels);
    else bilinearRgb(src, inv, w, h, out);
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
 * The general warp of an RGB source, one bilinear sample per output pixel: a pixel whose 2×2
 * neighbourhood lies inside the source (sx in [0, sw − 1), the common case) is computed inline with
 * no per-channel loop and no zeroing first; only the border goes through sampleAdd.
 */
function bilinearRgb(src: Raster, inv: Affine, w: number, h: number, out: Float32Array): void {
  const [a, b, c, d, e, f] = inv;
  const { width: sw, height: sh, data } = src;
  const bytes = viewOf(data);
  const row = sw * 3;
  const xMax = sw - 1;
  const yMax = sh - 1;
  let o = 0;
  for (let y = 0; y < h; y++) {
    let sx = b * y + c;
    let sy = e * y + f;
    // The row's pixels [lo, hi) are inside by a margin: no test for them (same sx, sy as the tested path).
    const lo = Math.min(w, Math.max(0, Math.ceil(Math.max(spanFrom(sx, a, xMax), spanFrom(sy, d, yMax))) + 1));
    const hi = Math.max(lo, Math.min(w, Math.floor(Math.min(spanTo(sx, a, xMax), spanTo(sy, d, yMax))) - 1));
    let x = 0;
    for (; x < lo; x++, o += 3, sx += a, sy += d) bilinearTested(data, bytes, sw, sh, xMax, yMax, sx, sy, out, o);
    // bilinearRgbAt written out: as a call here the loop ran slower (150² rotated: 0.16–0.18 vs 0.15 ms).
    for (; x < hi; x++, o += 3, sx += a, sy += d) {
      const x0 = sx | 0;
      const y0 = sy | 0;
      const fx = sx - x0;
      const fy = sy - y0;
      const i00 = (y0 * sw + x0) * 3;
      const i10 = i00 + row;
      const w00 = (1 - fx) * (1 - fy);
      const w01 = fx * (1 - fy);
      const w10 = (1 - fx) * fy;
      const w11 = fx * fy;
      const t = bytes.getInt32(i00, true);
      const t2 = bytes.getUint16(i00 + 4, true);
      const u = bytes.getInt32(i10, true);
      const u2 = bytes.getUint16(i10 + 4, true);
      out[o] = (t & 255) * w00 + (t >>> 24) * w01 + (u & 255) * w10 + (u >>> 24) * w11;
      out[o + 1] = ((t >>> 8) & 255) * w00 + (t2 & 255) * w01 + ((u >>> 8) & 255) * w10 + (u2 & 255) * w11;
      out[o + 2] = ((t >>> 16) & 255) * w00 + (t2 >>> 8) * w01 + ((u >>> 16) & 255) * w10 + (u2 >>> 8) * w11;
    }
    for (; x < w; x++, o += 3, sx += a, sy += d) bilinearTested(data, bytes, sw, sh, xMax, yMax, sx, sy, out, o);
  }
}

/**
 * The source rows [from, to) that the inside pixels of a warp through `inv` onto w×h can read (taps
 * up to `pad` from the sample point): the map's rows at the output's corners, a row of margin each way.
 */
function rowsRead(inv: Affine, w: number, h: number, pad: number, sh: number): [number, number] {
  const [, , , d, e, f] = inv;
  const ys = [f, d * (w - 1) + f, e * (h - 1) + f, d * (w - 1) + e * (h - 1) + f];
  const from = Math.max(0, Math.floor(Math.min(...ys) - pad) - 1);
  const to = Math.min(sh, Math.floor(Math.max(...ys) + pad) + 3);
  return [from, Math.max(from, to)];
}

/** Inside by this much (source pixels) where a row skips the test: far above the rounding of sx += a along a row. */
const SPAN_MARGIN = 1e-6;

/** The first x (real) at which s0 + k·x lies in [0, max) with the margin; −∞ when it always does, +∞ when never. */
function spanFrom(s0: number, k: number, max: number): number {
  if (k > 0) return (SPAN_MARGIN - s0) / k;
  if (k < 0) return (max - SPAN_MARGIN - s0) / k;
  return s0 >= SPAN_MARGIN && s0 < max - SPAN_MARGIN ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
}

/** The x (real) from which s0 + k·x has left [0, max) with the margin; +∞ when it never does, −∞ when never in. */
function spanTo(s0: number, k: number, max: number): number {
  if (k > 0) return (max - SPAN_MARGIN - s0) / k;
  if (k < 0) return (SPAN_MARGIN - s0) / k;
  return s0 >= SPAN_MARGIN && s0 < max - SPAN_MARGIN ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
}

/** One output pixel: inline bilinear when its 2×2 neighbourhood is inside (sx in [0, sw − 1)), else through sampleAdd. */
function bilinearTested(
  data: Uint8Array,
  bytes: DataView,
  sw: number,
  sh: number,
  xMax: number,
  yMax: number,
  sx: number,
  sy: number,
  out: Float32Array,
  o: number,
): void {
  if (sx >= 0 && sy >= 0 && sx < xMax && sy < yMax) {
    bilinearRgbAt(bytes, sw, sx, sy, out, o);
    return;
  }
  out[o] = 0;
  out[o + 1] = 0;
  out[o + 2] = 0;
  sampleAdd(data, sw, sh, 3, sx, sy, out, o, 1);
}

/**
 * Bilinear RGB sample at (sx, sy), its 2×2 neighbourhood inside the source. Each of its two rows is
 * read as one 6-byte run (a signed 32-bit and a 16-bit little-endian load, so every value stays a
 * small integer for V8) instead of six byte loads: the same twelve values, so the same sums.
 */
function bilinearRgbAt(bytes: DataView, sw: number, sx: number, sy: number, out: Float32Array, o: number): void {
  const x0 = sx | 0;
  const y0 = sy | 0;
  const fx = sx - x0;
  const fy = sy - y0;
  const i00 = (y0 * sw + x0) * 3;
  const i10 = i00 + sw * 3;
  const w00 = (1 - fx) * (1 - fy);
  const w01 = fx * (1 - fy);
  const w10 = (1 - fx) * fy;
  const w11 = fx * fy;
  // Top row r0 g0 b0 r1 | g1 b1, bottom row the same.
  const t = bytes.getInt32(i00, true);
  const t2 = bytes.getUint16(i00 + 4, true);
  const u = bytes.getInt32(i10, true);
  const u2 = bytes.getUint16(i10 + 4, true);
  out[o] = (t & 255) * w00 + (t >>> 24) * w01 + (u & 255) * w10 + (u >>> 24) * w11;
  out[o + 1] = ((t >>> 8) & 255) * w00 + (t2 & 255) * w01 + ((u >>> 8) & 255) * w10 + (u2 & 255) * w11;
  out[o + 2] = ((t >>> 16) & 255) * w00 + (t2 >>> 8) * w01 + ((u >>> 16) & 255) * w10 + (u2 >>> 8) * w11;
}

/** A byte view of `data` for the multi-byte loads of the RGB kernels. */
function viewOf(data: Uint8Array): DataView {
  return new DataView(data.buffer, data.byteOffset, data.byteLength);
}

/**
 * A shrinking warp of an RGB source: each output pixel is the mean of four bilinear samples at
 * (sx ± q, sy ± q) (anti-aliasing), per pixel as shrinkAt computes it; with `kernels`, the inside
 * runs in WebAssembly (the same operations: warp-kernels.ts's shrinkRow).
 */
function shrinkRgb(src: Raster, inv: Affine, w: number, h: number, out: Float32Array, q: number, kernels?: WarpKernels): void {
  if (kernels) {
    shrinkRgbKernels(src, inv, w, h, out, q, kernels);
    return;
  }
  const [a, b, c, d, e, f] = inv;
  const { width: sw, height: sh, data } = src;
  const row = sw * 3;
  let o = 0;
  for (let y = 0; y < h; y++) {
    let sx = b * y + c;
    let sy = e * y + f;
    for (let x = 0; x < w; x++, o += 3, sx += a, sy += d) shrinkAt(data, sw, sh, row, sx, sy, q, out, o);
  }
}

/**
 * shrinkRgb with the inside run of each row (all four taps inside by a margin) in WebAssembly; the
 * pixels around it through shrinkAt into the kernels' memory, the whole output copied out once.
 */
function shrinkRgbKernels(src: Raster, inv: Affine, w: number, h: number, out: Float32Array, q: number, k: WarpKernels): void {
  const [a, b, c, d, e, f] = inv;
  const { width: sw, height: sh, data } = src;
  const row = sw * 3;
  const [r0, r1] = rowsRead(inv, w, h, q, sh);
  const staged = k.layout(data, r0 * row, r1 * row, w * h * 3, 0);
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
      k.shrinkRow(staged.src, sw, o * 4, hi - lo, sx, sy, a, d, q);
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

/** Bilinear sample of a pixel whose 2×2 neighbourhood lies inside the source (the common case). */
function bilinearInside(
  data: Uint8Array,
  sw: number,
  ch: number,
  x0: number,
  y0: number,
  fx: number,
  fy: number,
  out: Float32Array,
  o: number,
): void {
  const i00 = (y0 * sw + x0) * ch;
  const i10 = i00 + sw * ch;
  const w00 = (1 - fx) * (1 - fy);
  const w01 = fx * (1 - fy);
  const w10 = (1 - fx) * fy;
  const w11 = fx * fy;
  if (ch === 3) {
    out[o] = data[i00]! * w00 + data[i00 + 3]! * w01 + data[i10]! * w10 + data[i10 + 3]! * w11;
    out[o + 1] = data[i00 + 1]! * w00 + data[i00 + 4]! * w01 + data[i10 + 1]! * w10 + data[i10 + 4]! * w11;
    out[o + 2] = data[i00 + 2]! * w00 + data[i00 + 5]! * w01 + data[i10 + 2]! * w10 + data[i10 + 5]! * w11;
  } else {
    const v = data[i00]! * w00 + data[i00 + 1]! * w01 + data[i10]! * w10 + data[i10 + 1]! * w11;
    out[o] = v;
    out[o + 1] = v;
    out[o + 2] = v;
  }
}

/** Fast path for axis-aligned maps (letterbox, square crops): per-row/column tables, bilinear. */
function scaleToFloat(
  src: Raster,
  sxScale: number,
  sx0: number,
  syScale: number,
  sy0: number,
  w: number,
  h: number,
  out: Float32Array,
  outOffset: number,
  kernels?: WarpKernels,
): void {
  const { width: sw, height: sh, channels: ch, data } = src;
  const xi = new Int32Array(w);
  const xf = new Float32Array(w);
  for (let x = 0; x < w; x++) {
    const sx = sxScale * x + sx0;
    xi[x] = Math.floor(sx);
    xf[x] = sx - Math.floor(sx);
  }
  if (ch === 3) {
    if (kernels) scaleRgbKernels(data, sw, sh, xi, xf, syScale, sy0, w, h, out, outOffset, kernels);
    else scaleRgb(data, sw, sh, xi, xf, syScale, sy0, w, h, out, outOffset);
    return;
  }
  let o = outOffset;
  for (let y = 0; y < h; y++) {
    const sy = syScale * y + sy0;
    const y0 = Math.floor(sy);
    const fy = sy - y0;
    const rowInside = y0 >= 0 && y0 + 1 < sh;
    if (y0 < -1 || y0 >= sh) {
      // A row wholly outside the source (the letterbox's padding): black.
      out.fill(0, o, o + w * 3);
      o += w * 3;
      continue;
    }
    for (let x = 0; x < w; x++, o += 3) {
      const x0 = xi[x]!;
      if (!rowInside || x0 < 0 || x0 + 1 >= sw) {
        out[o] = 0;
        out[o + 1] = 0;
        out[o + 2] = 0;
        if (x0 >= -1 && x0 < sw && y0 >= -1 && y0 < sh) {
          sampleAdd(data, sw, sh, ch, x0 + xf[x]!, sy, out, o, 1);
        }
        continue;
      }
      bilinearInside(data, sw, ch, x0, y0, xf[x]!, fy, out, o);
    }
  }
}

/**
 * scaleToFloat's RGB case: the columns' source offsets and weights (1 − fx, fx) computed once, a
 * row's (1 − fy, fy) once, and the pixels whose 2×2 neighbourhood is inside written inline. Each
 * weight is the same product of the same factors as bilinearInside forms, and the sums are in the
 * same order, so the output is bit for bit the general path's; only the border goes through sampleAdd.
 */
function scaleRgb(
  data: Uint8Array,
  sw: number,
  sh: number,
  xi: Int32Array,
  xf: Float32Array,
  syScale: number,
  sy0: number,
  w: number,
  h: number,
  out: Float32Array,
  outOffset: number,
): void {
  const col = new Int32Array(w);
  const gx0 = new Float64Array(w);
  const gx1 = new Float64Array(w);
  // The inside columns are one run [lo, hi): xi is monotone in x (rising, or falling for a mirrored map).
  let lo = w;
  let hi = 0;
  for (let x = 0; x < w; x++) {
    const x0 = xi[x]!;
    const fx = xf[x]!;
    col[x] = x0 * 3;
    gx0[x] = 1 - fx;
    gx1[x] = fx;
    if (x0 >= 0 && x0 + 1 < sw) {
      if (x < lo) lo = x;
      hi = x + 1;
    }
  }
  const row = sw * 3;
  const bytes = viewOf(data);
  let o = outOffset;
  for (let y = 0; y < h; y++) {
    const sy = syScale * y + sy0;
    const y0 = Math.floor(sy);
    const fy = sy - y0;
    if (y0 < -1 || y0 >= sh) {
      out.fill(0, o, o + w * 3);
      o += w * 3;
      continue;
    }
    if (!(y0 >= 0 && y0 + 1 < sh) || lo >= hi) {
      for (let x = 0; x < w; x++, o += 3) scaleEdge(data, sw, sh, xi[x]!, xf[x]!, y0, sy, out, o);
      continue;
    }
    const gy0 = 1 - fy;
    const base = y0 * row;
    let x = 0;
    for (; x < lo; x++, o += 3) scaleEdge(data, sw, sh, xi[x]!, xf[x]!, y0, sy, out, o);
    for (; x < hi; x++, o += 3) {
      const i00 = base + col[x]!;
      const i10 = i00 + row;
      const ax = gx0[x]!;
      const bx = gx1[x]!;
      const w00 = ax * gy0;
      const w01 = bx * gy0;
      const w10 = ax * fy;
      const w11 = bx * fy;
      // As bilinearRgbAt: each row's two pixels in one 32-bit and one 16-bit load.
      const t = bytes.getInt32(i00, true);
      const t2 = bytes.getUint16(i00 + 4, true);
      const u = bytes.getInt32(i10, true);
      const u2 = bytes.getUint16(i10 + 4, true);
      out[o] = (t & 255) * w00 + (t >>> 24) * w01 + (u & 255) * w10 + (u >>> 24) * w11;
      out[o + 1] = ((t >>> 8) & 255) * w00 + (t2 & 255) * w01 + ((u >>> 8) & 255) * w10 + (u2 & 255) * w11;
      out[o + 2] = ((t >>> 16) & 255) * w00 + (t2 >>> 8) * w01 + ((u >>> 16) & 255) * w10 + (u2 >>> 8) * w11;
    }
    for (; x < w; x++, o += 3) scaleEdge(data, sw, sh, xi[x]!, xf[x]!, y0, sy, out, o);
  }
}

/**
 * scaleRgb with each row's inside run in WebAssembly: its column table (the same 1 − fx, fx and
 * offsets) written into the kernels' memory, the edge pixels through scaleEdge beside the runs, the
 * whole output copied out once.
 */
function scaleRgbKernels(
  data: Uint8Array,
  sw: number,
  sh: number,
  xi: Int32Array,
  xf: Float32Array,
  syScale: number,
  sy0: number,
  w: number,
  h: number,
  out: Float32Array,
  outOffset: number,
  k: WarpKernels,
): void {
  let lo = w;
  let hi = 0;
  for (let x = 0; x < w; x++) {
    const x0 = xi[x]!;
    if (x0 >= 0 && x0 + 1 < sw) {
      if (x < lo) lo = x;
      hi = x + 1;
    }
  }
  const row = sw * 3;
  const [r0, r1] = rowsRead([1, 0, 0, 0, syScale, sy0], 1, h, 0, sh);
  const staged = k.layout(data, r0 * row, r1 * row, w * h * 3, w * SCALE_ENTRY);
  const { floats, doubles, ints } = k;
  for (let x = lo; x < hi; x++) {
    const entry = staged.table + x * SCALE_ENTRY;
    const fx = xf[x]!;
    doubles[entry >> 3] = 1 - fx;
    doubles[(entry >> 3) + 1] = fx;
    ints[(entry + 16) >> 2] = xi[x]! * 3;
  }
  const o0 = staged.out >> 2;
  let o = o0;
  for (let y = 0; y < h; y++) {
    const sy = syScale * y + sy0;
    const y0 = Math.floor(sy);
    const fy = sy - y0;
    if (y0 < -1 || y0 >= sh) {
      floats.fill(0, o, o + w * 3);
      o += w * 3;
      continue;
    }
    if (!(y0 >= 0 && y0 + 1 < sh) || lo >= hi) {
      for (let x = 0; x < w; x++, o += 3) scaleEdge(data, sw, sh, xi[x]!, xf[x]!, y0, sy, floats, o);
      continue;
    }
    let x = 0;
    for (; x < lo; x++, o += 3) scaleEdge(data, sw, sh, xi[x]!, xf[x]!, y0, sy, floats, o);
    k.scaleRow(staged.src + y0 * row, row, o * 4, hi - lo, staged.table + lo * SCALE_ENTRY, 1 - fy, fy);
    o += (hi - lo) * 3;
    for (x = hi; x < w; x++, o += 3) scaleEdge(data, sw, sh, xi[x]!, xf[x]!, y0, sy, floats, o);
  }
  out.set(floats.subarray(o0, o0 + w * h * 3), outOffset);
}

/** One RGB pixel of scaleRgb outside the inside run: black, plus what of its neighbourhood is in the source. */
function scaleEdge(
  data: Uint8Array,
  sw: number,
  sh: number,
  x0: number,
  fx: number,
  y0: number,
  sy: number,
  out: Float32Array,
  o: number,
): void {
  out[o] = 0;
  out[o + 1] = 0;
  out[o + 2] = 0;
  if (x0 >= -1 && x0 < sw && y0 >= -1 && y0 < sh) sampleAdd(data, sw, sh, 3, x0 + fx, sy, out, o, 1);
}

function sampleAdd(
  data: Uint8Array,
  sw: number,
  sh: number,
  ch: number,
  sx: number,
  sy: number,
  out: Float32Array,
  o: number,
  weight: number,
): void {
  const x0 = Math.floor(sx);
  const y0 = Math.floor(sy);
  const fx = sx - x0;
  const fy = sy - y0;
  if (x0 < -1 || y0 < -1 || x0 >= sw || y0 >= sh) return;
  for (let k = 0; k < 3; k++) {
    const kk = ch === 1 ? 0 : k;
    const p00 = x0 >= 0 && y0 >= 0 ? data[(y0 * sw + x0) * ch + kk]! : 0;
    const p10 = x0 + 1 < sw && y0 >= 0 ? data[(y0 * sw + x0 + 1) * ch + kk]! : 0;
    const p01 = x0 >= 0 && y0 + 1 < sh ? data[((y0 + 1) * sw + x0) * ch + kk]! : 0;
    const p11 = x0 + 1 < sw && y0 + 1 < sh ? data[((y0 + 1) * sw + x0 + 1) * ch + kk]! : 0;
    const top = p00 + (p10 - p00) * fx;
    const bottom = p01 + (p11 - p01) * fx;
    out[o + k]! += weight * (top + (bottom - top) * fy);
  }
}

/** The inverse affine for scaling by `s` (dst = src·s) and translating by (tx, ty). */
export function scaleTranslate(s: number, tx = 0, ty = 0): Affine {
  return [1 / s, 0, -tx / s, 0, 1 / s, -ty / s];
}

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
