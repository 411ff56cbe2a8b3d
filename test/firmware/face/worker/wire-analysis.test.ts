/**
 * The landmarks' wire form: through a real structured clone (a MessageChannel, as between the
 * threads), an analysis comes back with the same 68 points to the last bit, in order, x before
 * y, and an analysis without a face unchanged.
 */
import assert from 'node:assert/strict';
import { MessageChannel } from 'node:worker_threads';
import { test } from 'uvu';
import type { Point } from '../../../../firmware/face/pipeline/geometry.ts';
import type { FrameAnalysis } from '../../../../firmware/face/pipeline/pipeline.ts';
import { fromWire, packPoints, toWire, unpackPoints, type WireAnalysis } from '../../../../firmware/face/worker/wire-analysis.ts';

const points: Point[] = Array.from({ length: 68 }, (_, i) => [100 + i / 3 + 1e-9 * i, 200 - i * Math.PI]);
const timings = { detect: 1, landmarks: 2, align: 3, embed: 4, model: 5, total: 6 };
const box = { x: 10.5, y: 20.25, width: 150, height: 160, score: 0.9 };
const stats = { faceLuma: 120, surroundLuma: 90, frameLuma: 100, sharpness: 30, mouthTexture: 0.8, eyeBrightness: 0.9, clipped: 0 };
const withFace: FrameAnalysis = {
  width: 640,
  height: 480,
  faces: [box],
  primary: { box, landmarks: points, pose: { yaw: 0.1, pitch: -0.2, roll: 0.05 }, ear: 0.3, stats },
  embedding: new Float32Array([0.6, 0.8]),
  timings,
};

function across(a: WireAnalysis): Promise<WireAnalysis> {
  const { port1, port2 } = new MessageChannel();
  return new Promise((resolve) => {
    port2.once('message', (m: WireAnalysis) => {
      port1.close();
      resolve(m);
    });
    port1.postMessage(a);
  });
}

test('an analysis crosses with its 68 landmarks bit for bit, x before y', async () => {
  const back = fromWire(await across(toWire(withFace)));
  assert.deepEqual(back.primary?.landmarks, points);
  assert.deepEqual(back.primary?.stats, stats);
  assert.deepEqual(back.primary?.box, box);
  assert.deepEqual([...back.embedding!], [...withFace.embedding!]);
});

test('an analysis without a face crosses unchanged', async () => {
  const none: FrameAnalysis = { width: 640, height: 480, faces: [], timings };
  assert.deepEqual(fromWire(await across(toWire(none))), none);
});

test('packed points are x0, y0, x1, y1, …', () => {
  assert.deepEqual(
    [
      ...packPoints([
        [1, 2],
        [3, 4],
      ]),
    ],
    [1, 2, 3, 4],
  );
  assert.deepEqual(unpackPoints(new Float64Array([5, 6, 7, 8])), [
    [5, 6],
    [7, 8],
  ]);
});

test.run();
