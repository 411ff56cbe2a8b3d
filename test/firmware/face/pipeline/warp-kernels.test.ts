/**
 * The warp kernels' memory: a warp's source rows and output stay there until wipe, which zeroes
 * them (they are face pixels); a source larger than the memory grows it, and the output is the
 * same after growing. Their arithmetic is held to the per-pixel references in warp-bound,
 * shrink-bound and scale-bound.
 */
import assert from 'node:assert/strict';
import { test } from 'uvu';
import { warpToFloat } from '../../../../firmware/face/pipeline/image.ts';
import type { Affine } from '../../../../firmware/face/pipeline/raster.ts';
import { WarpKernels } from '../../../../firmware/face/pipeline/warp-kernels.ts';
import { boundedDifference, noise, WARP_BOUND } from '../../../helpers/bilinear-reference.ts';

const LETTERBOX: Affine = [640 / 416, 0, 0, 0, 640 / 416, -80];
const SHRUNK: Affine = [2.2, 0.1, 180.3, -0.1, 2.2, 120.7];

/** The kernels' whole memory, as bytes (a test's view of what they hold). */
const memoryOf = (k: WarpKernels): Uint8Array => new Uint8Array(k.floats.buffer);

test('after warps the memory holds the source rows and the output; wipe zeroes all of it', () => {
  const k = new WarpKernels();
  const frame = noise(640, 480, 3);
  const out = new Float32Array(416 * 416 * 3);
  warpToFloat(frame, LETTERBOX, 416, 416, out, undefined, k);
  warpToFloat(frame, SHRUNK, 112, 112, new Float32Array(112 * 112 * 3), undefined, k);
  assert.ok(
    memoryOf(k).some((v) => v !== 0),
    'the warps left pixels in the memory',
  );
  k.wipe();
  assert.equal(
    memoryOf(k).findIndex((v) => v !== 0),
    -1,
  );
});

test('a source larger than the memory grows it; the output is within the bound of what the JavaScript path gives', () => {
  const k = new WarpKernels();
  const small = noise(64, 48, 4);
  warpToFloat(small, [0.5, 0, 0, 0, 0.5, 0], 32, 24, new Float32Array(32 * 24 * 3), undefined, k);
  const before = memoryOf(k).length;
  const big = noise(1920, 1080, 9);
  const map: Affine = [1920 / 416, 0, 0, 0, 1920 / 416, -100];
  const want = new Float32Array(416 * 416 * 3);
  warpToFloat(big, map, 416, 416, want, 5);
  const got = new Float32Array(416 * 416 * 3);
  warpToFloat(big, map, 416, 416, got, 5, k);
  assert.ok(memoryOf(k).length > before, `grew from ${before} bytes`);
  assert.equal(boundedDifference(got, want, WARP_BOUND), '');
  k.wipe();
  assert.equal(
    memoryOf(k).findIndex((v) => v !== 0),
    -1,
  );
});

test.run();
