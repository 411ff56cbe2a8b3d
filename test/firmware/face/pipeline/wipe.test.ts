/**
 * The model inputs hold face pixels: zeroed before analyse settles, or — when the caller takes the
 * wipe (`deferWipe`, the worker, which posts its reply first) — when that caller runs it. The
 * inputs are observed as onnxruntime receives them (the real runtime, each run's input recorded).
 */
import assert from 'node:assert/strict';
import { test } from 'uvu';
import { FacePipeline } from '../../../../firmware/face/pipeline/pipeline.ts';
import { cameraFrame } from '../../../../hardware-sim/face/face-material.ts';
import { facesIn, testModelSet } from '../support/demo-faces.ts';
import { recordingRuntime } from '../support/recording-runtime.ts';

const nonZero = (seen: Set<Float32Array>): number => [...seen].filter((b) => b.some((v) => v !== 0)).length;

async function setUp(): Promise<{ pipeline: FacePipeline; seen: Set<Float32Array>; frame: () => Promise<Uint8Array> }> {
  const seen = new Set<Float32Array>();
  const pipeline = await FacePipeline.create(testModelSet(), recordingRuntime(seen));
  const { image, faces } = await facesIn(1);
  const still = await cameraFrame(image, faces[0]!);
  return { pipeline, seen, frame: async () => still.data.slice() };
}

test('without deferWipe, every model input is zero when analyse resolves', async () => {
  const { pipeline, seen, frame } = await setUp();
  try {
    const a = await pipeline.analyse({ width: 640, height: 480, channels: 3, data: await frame() }, { embed: true });
    assert.ok(a.embedding, 'a face was found and embedded');
    assert.ok(seen.size >= 3, 'detector, landmarks and recognizer inputs seen');
    assert.equal(nonZero(seen), 0);
  } finally {
    await pipeline.close();
  }
});

test('with deferWipe, the inputs keep the face until the caller runs the wipe it was handed once', async () => {
  const { pipeline, seen, frame } = await setUp();
  try {
    const handed: (() => void)[] = [];
    const a = await pipeline.analyse(
      { width: 640, height: 480, channels: 3, data: await frame() },
      { embed: true, deferWipe: (w) => handed.push(w) },
    );
    assert.ok(a.embedding, 'a face was found and embedded');
    assert.equal(handed.length, 1);
    assert.ok(nonZero(seen) >= 3, 'detector, landmarks and recognizer inputs still hold the face');
    handed[0]!();
    assert.equal(nonZero(seen), 0);
    // A frame that fails (deadline already passed) hands its wipe over too.
    const failed: (() => void)[] = [];
    await assert.rejects(
      pipeline.analyse(
        { width: 640, height: 480, channels: 3, data: await frame() },
        { embed: true, deadline: performance.now() - 1, deferWipe: (w) => failed.push(w) },
      ),
    );
    assert.equal(failed.length, 1);
  } finally {
    await pipeline.close();
  }
});

test.run();
