/**
 * Frames through the real worker thread, back to back as a visit sends them, in the two shared
 * buffers that alternate (frame-pool.ts): each frame's analysis is the one this thread's own
 * pipeline makes of a copy of the same frame, to the last bit (a buffer reused while the worker
 * still zeroed it, or still read it, would change the next frame's pixels); the caller's pixels
 * are zeroed once sent.
 */
import assert from 'node:assert/strict';
import { test } from 'uvu';
import { FacePipeline } from '../../../../firmware/face/pipeline/pipeline.ts';
import type { Point } from '../../../../firmware/face/pipeline/geometry.ts';
import { onnxInference } from '../../../../firmware/platform/onnx-runtime.ts';
import { systemClock } from '../../../../firmware/platform/system-clock.ts';
import { FaceWorkerClient } from '../../../../firmware/face/worker/face-worker-client.ts';
import { cameraFrame } from '../../../../hardware-sim/face/face-material.ts';
import { blinkSequence, eyesFromLandmarks } from '../../../../hardware-sim/face/synthetic-sequences.ts';
import { FACE_WORKER_ENTRY } from '../../../../cli/face-worker/entry.ts';
import { facesIn, testModelSet } from '../support/demo-faces.ts';

test('frames sent back to back are analysed as sent, and the caller’s copy is zeroed', async () => {
  const { image, faces } = await facesIn(2);
  const still = await cameraFrame(image, faces[0]!);
  const local = await FacePipeline.create(testModelSet(), onnxInference);
  const seen = await local.analyse({ ...still, channels: 3, data: still.data.slice() }, { embed: false });
  assert.ok(seen.primary);
  // The face swaying and blinking (a camera's noise on each frame).
  const frames = blinkSequence(still, eyesFromLandmarks(seen.primary.landmarks), 12, 6);
  const worker = await FaceWorkerClient.start(testModelSet(), systemClock, FACE_WORKER_ENTRY);
  try {
    let prior: readonly Point[] | undefined;
    let localPrior: readonly Point[] | undefined;
    for (const [i, f] of frames.entries()) {
      const mine = await local.analyse(
        { width: f.width, height: f.height, channels: 3, data: f.data.slice() },
        { embed: true, follow: true, prior: localPrior },
      );
      const sent = { ...f, data: f.data.slice(), capturedAt: i * 33, sequence: i };
      const theirs = await worker.analyse(sent, { embed: true, budgetMs: 30_000, follow: true, prior });
      assert.ok(
        sent.data.every((v) => v === 0),
        `frame ${i}: the caller's pixels are zeroed`,
      );
      assert.ok(mine.embedding && theirs.embedding, `frame ${i}: a face embedded on both sides`);
      assert.deepEqual([...theirs.embedding], [...mine.embedding], `frame ${i}: the same embedding`);
      assert.deepEqual(theirs.primary?.landmarks, mine.primary?.landmarks, `frame ${i}: the same landmarks`);
      assert.deepEqual(theirs.primary?.stats, mine.primary?.stats, `frame ${i}: the same statistics`);
      prior = theirs.primary?.landmarks;
      localPrior = mine.primary?.landmarks;
    }
  } finally {
    await worker.close();
    await local.close();
  }
});

test.run();
