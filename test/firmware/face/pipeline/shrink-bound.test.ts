/**
 * warpToFloat's shrinking RGB path (a landmark crop of a face more than 1.8 times the net's input,
 * the detector's crop of a large face), in JavaScript and with the WebAssembly kernels
 * (warp-kernels.ts), within WARP_BOUND (2⁻¹¹ of a level; its derivation in
 * test/helpers/bilinear-reference.ts) of the per-pixel float64 formulation — sx, sy stepped
 * along each row as the warp steps them, four taps at (sx ± q, sy ± q) with q a quarter of the step;
 * when all four taps' 2×2 neighbourhoods are inside the source, the taps' four-weight sums added in
 * tap order and times ¼; otherwise each tap's two-lerp sample times ¼ added to a float32 value
 * starting at 0, black outside. Written per pixel from the reference's samples, one byte at a time.
 */
import { test } from 'uvu';
import { warpBoundTests, type WarpCase } from '../../../helpers/warp-bound-cases.ts';
import type { Affine, Raster } from '../../../../firmware/face/pipeline/raster.ts';
import { noise, referenceLerp, referenceSample, turned } from '../../../helpers/bilinear-reference.ts';

function expected(src: Raster, m: Affine, w: number, h: number): Float32Array {
  const [a, b, c, d, e, f] = m;
  const q = Math.hypot(a, d) / 4;
  const out = new Float32Array(w * h * 3);
  const taps = (sx: number, sy: number): [number, number][] => [
    [sx - q, sy - q],
    [sx + q, sy - q],
    [sx - q, sy + q],
    [sx + q, sy + q],
  ];
  for (let y = 0; y < h; y++) {
    let sx = b * y + c;
    let sy = e * y + f;
    for (let x = 0; x < w; x++, sx += a, sy += d) {
      const inside = sx - q >= 0 && sy - q >= 0 && sx + q + 1 < src.width && sy + q + 1 < src.height;
      for (let k = 0; k < 3; k++) {
        const o = (y * w + x) * 3 + k;
        if (inside) {
          let s = 0;
          for (const [n, [tx, ty]] of taps(sx, sy).entries()) {
            const v = referenceSample(src, Math.floor(tx), Math.floor(ty), tx - Math.floor(tx), ty - Math.floor(ty), k);
            s = n === 0 ? v : s + v;
          }
          out[o] = s * 0.25;
          continue;
        }
        out[o] = 0;
        for (const [tx, ty] of taps(sx, sy)) {
          const x0 = Math.floor(tx);
          const y0 = Math.floor(ty);
          out[o] += 0.25 * referenceLerp(src, x0, y0, tx - x0, ty - y0, k);
        }
      }
    }
  }
  return out;
}

const CASES: WarpCase[] = [
  { name: 'a landmark crop shrunk 2.2×, turned −5°, inside the frame', map: turned(330.1, 228.4, 246, -0.08, 112), size: 112 },
  { name: 'shrunk 2.2×, turned 17°, across the left and bottom edges', map: turned(30.1, 448.4, 246, 0.3, 112), size: 112 },
  { name: 'shrunk 2.6×, turned −40°, across the right and top edges', map: turned(600.7, 20.2, 290, -0.7, 112), size: 112 },
  { name: 'the whole frame shrunk 5.7×, hardly turned', map: turned(320, 240, 640, 0.0001, 112), size: 112 },
  { name: "the detector's crop of a large face (shrunk 3.4×)", map: turned(310.2, 240.9, 540, 0.05, 160), size: 160, averageAbove: 3 },
  { name: 'wholly outside the frame', map: turned(2000, -900, 300, 0.4, 64), size: 64 },
];

const frame = noise(640, 480, 5);
warpBoundTests('shrinking RGB', frame, CASES, expected);

test.run();
