/**
 * warpToFloat's rotated RGB path (the similarity alignment, the detector's crop around a followed
 * face, landmark crops that are not shrunk by more than 1.8), in JavaScript and with the
 * WebAssembly kernels (warp-kernels.ts), within WARP_BOUND (2⁻¹¹ of a level; its derivation in
 * test/helpers/bilinear-reference.ts) of the per-pixel float64 formulation — sx, sy stepped along
 * each row as the warp steps them; inside the source (sx in [0, width − 1), sy likewise) the four
 * weights (1 − fx)(1 − fy), fx(1 − fy), (1 − fx)fy, fx·fy times the four pixels summed in that
 * order; elsewhere the two-lerp sample with black outside. Written per pixel, one byte at a time.
 */
import { test } from 'uvu';
import { warpBoundTests, type WarpCase } from '../../../helpers/warp-bound-cases.ts';
import type { Affine, Raster } from '../../../../firmware/face/pipeline/raster.ts';
import { noise, referenceSample, turned } from '../../../helpers/bilinear-reference.ts';

function expected(src: Raster, m: Affine, w: number, h: number): Float32Array {
  const [a, b, c, d, e, f] = m;
  const out = new Float32Array(w * h * 3);
  for (let y = 0; y < h; y++) {
    let sx = b * y + c;
    let sy = e * y + f;
    for (let x = 0; x < w; x++, sx += a, sy += d) {
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const fx = sx - x0;
      const fy = sy - y0;
      for (let k = 0; k < 3; k++) {
        out[(y * w + x) * 3 + k] = referenceSample(src, x0, y0, fx, fy, k);
      }
    }
  }
  return out;
}

const CASES: WarpCase[] = [
  { name: 'alignment-like 150² inside the frame, turned 6°', map: turned(320.3, 240.7, 195, 0.1, 150), size: 150 },
  { name: 'turned −20° across the left and top edges', map: turned(40.2, 30.9, 220, -0.35, 150), size: 150 },
  { name: 'turned 30° across the right and bottom edges, enlarging', map: turned(610.4, 455.1, 90, 0.52, 150), size: 150 },
  {
    name: "the detector's crop around a followed face (shrunk 2.75×, not averaged)",
    map: turned(300.6, 250.2, 440, 0.12, 160),
    size: 160,
    averageAbove: 3,
  },
  { name: 'a landmark crop shrunk 1.6×', map: turned(330.1, 228.4, 179.2, -0.08, 112), size: 112 },
];

const frame = noise(640, 480, 7);
warpBoundTests('rotated RGB', frame, CASES, expected);

test.run();
