/**
 * The shared pieces of the warps (image.ts, warp-shrink.ts, warp-scale.ts): bilinear samples of an
 * 8-bit source, inside and at the border, and the spans of a row that lie inside the source.
 */
import type { Affine } from './raster.ts';

/**
 * The source rows [from, to) that the inside pixels of a warp through `inv` onto w×h can read (taps
 * up to `pad` from the sample point): the map's rows at the output's corners, a row of margin each way.
 */
export function rowsRead(inv: Affine, w: number, h: number, pad: number, sh: number): [number, number] {
  const [, , , d, e, f] = inv;
  return spanRead([f, d * (w - 1) + f, e * (h - 1) + f, d * (w - 1) + e * (h - 1) + f], pad, sh);
}

/** The source columns [from, to) those pixels can read, likewise. */
export function colsRead(inv: Affine, w: number, h: number, pad: number, sw: number): [number, number] {
  const [a, b, c] = inv;
  return spanRead([c, a * (w - 1) + c, b * (h - 1) + c, a * (w - 1) + b * (h - 1) + c], pad, sw);
}

function spanRead(corners: readonly number[], pad: number, max: number): [number, number] {
  const from = Math.max(0, Math.floor(Math.min(...corners) - pad) - 1);
  const to = Math.min(max, Math.floor(Math.max(...corners) + pad) + 3);
  return [from, Math.max(from, to)];
}

/** Inside by this much (source pixels) where a row skips the test: far above the rounding of sx += a along a row. */
const SPAN_MARGIN = 1e-6;

/** The first x (real) at which s0 + k·x lies in [0, max) with the margin; −∞ when it always does, +∞ when never. */
export function spanFrom(s0: number, k: number, max: number): number {
  if (k > 0) return (SPAN_MARGIN - s0) / k;
  if (k < 0) return (max - SPAN_MARGIN - s0) / k;
  return s0 >= SPAN_MARGIN && s0 < max - SPAN_MARGIN ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
}

/** The x (real) from which s0 + k·x has left [0, max) with the margin; +∞ when it never does, −∞ when never in. */
export function spanTo(s0: number, k: number, max: number): number {
  if (k > 0) return (max - SPAN_MARGIN - s0) / k;
  if (k < 0) return (SPAN_MARGIN - s0) / k;
  return s0 >= SPAN_MARGIN && s0 < max - SPAN_MARGIN ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
}

/** One output pixel: inline bilinear when its 2×2 neighbourhood is inside (sx in [0, sw − 1)), else through sampleAdd. */
export function bilinearTested(
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
export function viewOf(data: Uint8Array): DataView {
  return new DataView(data.buffer, data.byteOffset, data.byteLength);
}

/** Bilinear sample of a pixel whose 2×2 neighbourhood lies inside the source (the common case). */
export function bilinearInside(
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

export function sampleAdd(
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
