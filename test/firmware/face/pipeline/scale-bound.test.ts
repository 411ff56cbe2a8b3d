/**
 * warpToFloat's axis-aligned path (letterbox, upright square crops), in JavaScript and with the
 * WebAssembly kernels (warp-kernels.ts), within WARP_BOUND (2⁻¹¹ of a level; its derivation in
 * test/helpers/bilinear-reference.ts) of the per-pixel float64 formulation — inside the source the four weights
 * (1 − fx)(1 − fy), fx(1 − fy), (1 − fx)fy, fx·fy times the four pixels summed in that order (fx
 * kept as a float32, as the column table holds it); at the border the two-lerp sample with black
 * outside. Written per pixel from the map, apart from the code's row and column tables.
 */
import { test } from 'uvu';
import { warpBoundTests, type WarpCase } from '../../../helpers/warp-bound-cases.ts';
import type { Affine, Raster } from '../../../../firmware/face/pipeline/raster.ts';
import { noise, referenceSample } from '../../../helpers/bilinear-reference.ts';

function expected(src: Raster, m: Affine, w: number, h: number): Float32Array {
  const [a, , c, , e, f] = m;
  const out = new Float32Array(w * h * 3);
  for (let y = 0; y < h; y++) {
    const sy = e * y + f;
    const y0 = Math.floor(sy);
    const fy = sy - y0;
    for (let x = 0; x < w; x++) {
      const sx = a * x + c;
      const x0 = Math.floor(sx);
      const fx = Math.fround(sx - x0);
      for (let k = 0; k < 3; k++) {
        out[(y * w + x) * 3 + k] = referenceSample(src, x0, y0, fx, fy, k);
      }
    }
  }
  return out;
}

const s = 640 / 416;
const CASES: WarpCase[] = [
  { name: 'letterbox of a 640×480 frame (padding rows, the rows at the edges)', map: [s, 0, 0, 0, s, -80], size: 416 },
  { name: 'upright crop inside the frame, shrinking', map: [1.7, 0, 140.25, 0, 1.7, 60.6], size: 112 },
  { name: 'upright crop across the left and top edges', map: [1.3, 0, -30.4, 0, 1.3, -12.2], size: 150 },
  { name: 'upright crop across the right and bottom edges, enlarging', map: [0.6, 0, 600.3, 0, 0.6, 440.1], size: 150 },
  { name: 'mirrored (columns run right to left) across the left edge', map: [-1.2, 0, 120.5, 0, 1.2, 10.3], size: 150 },
];

const frame = noise(640, 480, 11);
warpBoundTests('axis-aligned', frame, CASES, expected);

test.run();
