/**
 * The converted ONNX graphs against an independent engine: face-api's own networks on
 * tfjs-backend-wasm, same weights, same inputs (a real face crop and noise).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { test } from 'uvu';
import { loadFaceApiReference } from '../../../cli/commands/bench/face-api-reference.ts';
import { ensureDefaultModels, faceApiModelDir } from '../../../tools/models/build-models.ts';
import { readModelManifest, readVerifiedModel, ModelChecksumError } from '../../../firmware/face/pipeline/model-manifest.ts';
import { createSession, loadOnnxRuntime } from '../../../firmware/platform/onnx-runtime.ts';

const cache = 'var/models';
const sample = (n: number): string => `${faceApiModelDir()}/../demo/sample${n}.jpg`;

async function crop(size: number): Promise<Float32Array> {
  // The top-left face of sample1 region, resized to the model's input.
  const { data } = await sharp(sample(1))
    .extract({ left: 180, top: 150, width: 300, height: 300 })
    .resize(size, size)
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return Float32Array.from(data);
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

async function runOnnx(file: string, input: Float32Array, size: number): Promise<Float32Array> {
  const ort = await loadOnnxRuntime();
  const session = await createSession(readVerifiedModel(file, readModelManifest(`${cache}/manifest.json`)), 1);
  const out = await session.run({ image: new ort.Tensor('float32', input, [1, size, size, 3]) });
  await session.release();
  return Object.values(out)[0]!.data as Float32Array;
}

test('recognizer matches face-api/tfjs-wasm on a real face crop and on noise', async () => {
  const paths = ensureDefaultModels(cache);
  const ref = await loadFaceApiReference(faceApiModelDir());
  const noise = new Float32Array(150 * 150 * 3).map((_, i) => (i * 7919) % 256);
  for (const input of [await crop(150), noise]) {
    const mine = await runOnnx(paths.recognizer, input, 150);
    const t = ref.floatImage(input, 150);
    const theirs = await ref.faceapi.nets.faceRecognitionNet.computeFaceDescriptor(t);
    t.dispose();
    assert.ok(maxAbsDiff(mine, theirs) < 1e-4, `recognizer differs by ${maxAbsDiff(mine, theirs)}`);
  }
});

test('68-point landmarks match face-api/tfjs-wasm', async () => {
  const paths = ensureDefaultModels(cache);
  const ref = await loadFaceApiReference(faceApiModelDir());
  const input = await crop(112);
  const mine = await runOnnx(paths.landmarks, input, 112);
  const t = ref.floatImage(input, 112);
  const out = await ref.faceapi.nets.faceLandmark68Net.forward(t);
  const theirs = await out.data();
  t.dispose();
  out.dispose();
  assert.ok(maxAbsDiff(mine, theirs) < 1e-4, `landmarks differ by ${maxAbsDiff(mine, theirs)}`);
});

test('tiny face detector grid matches face-api/tfjs-wasm (NCHW vs NHWC)', async () => {
  const paths = ensureDefaultModels(cache);
  const ref = await loadFaceApiReference(faceApiModelDir());
  const { data } = await sharp(sample(2)).resize(416, 416, { fit: 'fill' }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const input = Float32Array.from(data);
  const mine = await runOnnx(paths.detector, input, 416);
  const t = ref.floatImage(input, 416);
  const out = await ref.faceapi.nets.tinyFaceDetector.forward(t, 416);
  const nhwc = await out.data();
  t.dispose();
  out.dispose();
  const theirs = new Float32Array(nhwc.length);
  const g = 13;
  for (let c = 0; c < 25; c++) for (let p = 0; p < g * g; p++) theirs[c * g * g + p] = nhwc[p * 25 + c]!;
  assert.ok(maxAbsDiff(mine, theirs) < 1e-3, `detector differs by ${maxAbsDiff(mine, theirs)}`);
});

test('a corrupted model file is refused on load with a typed error', () => {
  const paths = ensureDefaultModels(cache);
  const manifest = readModelManifest(`${cache}/manifest.json`);
  const tampered = { ...manifest, files: { ...manifest.files, 'landmarks.onnx': '0'.repeat(64) } };
  assert.throws(
    () => readVerifiedModel(paths.landmarks, tampered),
    (e: unknown) => e instanceof ModelChecksumError && e.code === 'MODEL_CHECKSUM_MISMATCH',
  );
  assert.throws(() => readVerifiedModel(`${cache}/nope.onnx`, manifest), ModelChecksumError);
  assert.ok(readFileSync(paths.landmarks).length > 100_000);
});

test.run();
