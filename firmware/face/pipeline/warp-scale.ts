/**
 * The axis-aligned warp (letterbox, upright crops): per-row and per-column tables, bilinear, an RGB
 * source's inside runs in WebAssembly; without kernels (a grey source) every pixel in JS.
 */
import type { Raster } from './raster.ts';
import { rowsRead, bilinearInside, sampleAdd } from './warp-sampling.ts';
import { SCALE_ENTRY, type WarpKernels } from './warp-kernels.ts';

/** Fast path for axis-aligned maps (letterbox, square crops): per-row/column tables, bilinear. */
export function scaleToFloat(
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
  if (ch === 3 && kernels) {
    scaleRgb(data, sw, sh, xi, xf, syScale, sy0, w, h, out, outOffset, kernels);
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
 * scaleToFloat's RGB case: the columns' source offsets and weights (1 − fx, fx) computed once into a
 * table in the kernels' memory, a row's (1 − fy, fy) once, each row's inside run in WebAssembly
 * (warp-kernels.ts's scaleRow, float32 vectors), the edge pixels through scaleEdge beside the runs,
 * the whole output copied out once.
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
  const staged = k.layout(data, sw, rowsRead([1, 0, 0, 0, syScale, sy0], 1, h, 0, sh), [0, sw], w * h * 3, w * SCALE_ENTRY);
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
