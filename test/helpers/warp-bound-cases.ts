/**
 * The warp bound tests' shared loop (warp-bound, shrink-bound, scale-bound): one uvu test per case
 * and per path, the JavaScript path (no kernels) and the WebAssembly one, each holding
 * firmware/face/pipeline/image.ts's warpToFloat to within WARP_BOUND of the file's own float64
 * reference (bilinear-reference.ts).
 */
import assert from 'node:assert/strict';
import { test } from 'uvu';
import { warpToFloat } from '../../firmware/face/pipeline/image.ts';
import type { Affine, Raster } from '../../firmware/face/pipeline/raster.ts';
import { WarpKernels } from '../../firmware/face/pipeline/warp-kernels.ts';
import { boundedDifference, WARP_BOUND } from './bilinear-reference.ts';

export interface WarpCase {
  readonly name: string;
  readonly map: Affine;
  readonly size: number;
  readonly averageAbove?: number;
}

export function warpBoundTests(
  what: string,
  frame: Raster,
  cases: readonly WarpCase[],
  expected: (src: Raster, m: Affine, w: number, h: number) => Float32Array,
): void {
  const kernels = new WarpKernels();
  for (const c of cases) {
    for (const [path, k] of [
      ['JavaScript', undefined],
      ['WebAssembly', kernels],
    ] as const) {
      test(`warpToFloat ${what}, within the bound (${path}): ${c.name}`, () => {
        const out = new Float32Array(c.size * c.size * 3).fill(-1);
        warpToFloat(frame, c.map, c.size, c.size, out, c.averageAbove, k);
        assert.equal(boundedDifference(out, expected(frame, c.map, c.size, c.size), WARP_BOUND), '');
      });
    }
  }
}
