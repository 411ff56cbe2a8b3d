/**
 * measureFace's statistics of the aligned crop against sums written apart: the share of clipped
 * highlights (all three channels ≥ 250, not two) and the sharpness (variance of the 4-neighbour
 * Laplacian of the crop's luma), on a crop with known highlights; the grey plane it fills is the
 * crop's luma.
 */
import assert from 'node:assert/strict';
import { test } from 'uvu';
import { measureFace } from '../../../../firmware/face/pipeline/face-stats.ts';
import { DLIB_150_TEMPLATE } from '../../../../firmware/face/pipeline/geometry.ts';
import { laplacianVariance } from '../../../../firmware/face/pipeline/luma.ts';

const SIZE = 150;

function crop(): Float32Array {
  const c = new Float32Array(SIZE * SIZE * 3);
  let s = 11;
  for (let i = 0; i < c.length; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    c[i] = ((s >>> 16) & 255) * 0.9;
  }
  // 300 pixels clipped in all channels, 200 in two only (not clipped).
  for (let p = 0; p < 500; p++) {
    const o = (p * 41 + 7) * 3;
    c[o] = 252;
    c[o + 1] = 255;
    c[o + 2] = p < 300 ? 250 : 120;
  }
  return c;
}

test('measureFace: clipped share and sharpness of the aligned crop, its grey plane the crop luma', () => {
  const aligned = crop();
  const frame = { width: 320, height: 240, channels: 3 as const, data: new Uint8Array(320 * 240 * 3).fill(90) };
  const grey = new Float32Array(SIZE * SIZE).fill(-1);
  const stats = measureFace(frame, { x: 100, y: 60, width: 120, height: 120, score: 1 }, aligned, SIZE, DLIB_150_TEMPLATE, grey);
  assert.equal(stats.clipped, 300 / (SIZE * SIZE));

  const luma = (i: number): number => Math.fround(0.299 * aligned[i * 3]! + 0.587 * aligned[i * 3 + 1]! + 0.114 * aligned[i * 3 + 2]!);
  const values: number[] = [];
  for (let y = 1; y < SIZE - 1; y++)
    for (let x = 1; x < SIZE - 1; x++) {
      const i = y * SIZE + x;
      values.push(luma(i - 1) + luma(i + 1) + luma(i - SIZE) + luma(i + SIZE) - 4 * luma(i));
    }
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length;
  assert.ok(Math.abs(stats.sharpness - variance) < 1e-6 * variance, `sharpness ${stats.sharpness} vs ${variance}`);
  for (const i of [0, 777, SIZE * SIZE - 1]) assert.ok(Math.abs(grey[i]! - luma(i)) < 1e-3, `grey ${i}`);
  assert.equal(stats.frameLuma, 90);
});

test('measureFace: the grey plane and sharpness bit for bit those of the plain two-pass form (crop sides 150, 3, 2, 1)', () => {
  const full = crop();
  for (const size of [SIZE, 3, 2, 1]) {
    const aligned = full.subarray(0, size * size * 3);
    const frame = { width: 320, height: 240, channels: 3 as const, data: new Uint8Array(320 * 240 * 3).fill(90) };
    const grey = new Float32Array(size * size).fill(-1);
    const stats = measureFace(frame, { x: 100, y: 60, width: 120, height: 120, score: 1 }, aligned, size, DLIB_150_TEMPLATE, grey);
    // The plane as a separate pass writes it, then laplacianVariance over it (the form before the fused pass).
    const want = new Float32Array(size * size);
    for (let i = 0; i < want.length; i++) want[i] = 0.299 * aligned[i * 3]! + 0.587 * aligned[i * 3 + 1]! + 0.114 * aligned[i * 3 + 2]!;
    assert.deepEqual(grey, want, `grey plane, side ${size}`);
    assert.ok(Object.is(stats.sharpness, laplacianVariance(want, size, size)), `sharpness ${stats.sharpness}, side ${size}`);
  }
});

test.run();
