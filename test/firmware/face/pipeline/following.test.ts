/**
 * A followed face on real frames (face-api's demo photos played by the live-face simulator, as
 * `bench face` plays them): with the detector confirming the face on one frame in CONFIRM_EVERY
 * only, every frame's landmarks and embedding are those of a pipeline whose detector looks at
 * every frame (a second pipeline made to forget the face before each frame, so it always runs
 * the detector); on sample 2's face the landmark net drifts off the face between confirmations and
 * must be caught. A face that leaves is no longer reported within CONFIRM_EVERY frames.
 */
import assert from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
import { test } from 'uvu';
import { CONFIRM_EVERY, FacePipeline, cosine, type FrameAnalysis } from '../../../../firmware/face/pipeline/pipeline.ts';
import type { Point } from '../../../../firmware/face/pipeline/geometry.ts';
import type { Raster } from '../../../../firmware/face/pipeline/raster.ts';
import { LiveFaceRenderer } from '../../../../hardware-sim/camera/live-face.ts';
import { cameraFrame } from '../../../../hardware-sim/face/face-material.ts';
import { facesIn, sharedPipeline, testModelSet } from '../support/demo-faces.ts';
import { onnxInference } from '../../../../firmware/platform/onnx-runtime.ts';

const FRAMES = 12;

/** `frames` frames of the biggest face of demo photo n, live (sway, light, noise, blinks). */
async function stream(n: number, frames: number): Promise<Raster[]> {
  const { image, faces } = await facesIn(n);
  const still = await cameraFrame(image, faces[0]!);
  const a = await (await sharedPipeline()).analyse({ ...still, channels: 3 }, { embed: false });
  const l = a.primary?.landmarks;
  assert.ok(l, `sample${n}: a face in the still`);
  const eye = (from: number): [number, number] => [
    l.slice(from, from + 6).reduce((s, p) => s + p[0], 0) / 6,
    l.slice(from, from + 6).reduce((s, p) => s + p[1], 0) / 6,
  ];
  const live = new LiveFaceRenderer({ face: still, eyes: [eye(36), eye(42)], seed: n });
  return Array.from({ length: frames }, (_, i) => {
    const data = new Uint8Array(still.width * still.height * 3);
    live.render(i, data);
    return { width: still.width, height: still.height, channels: 3 as const, data };
  });
}

const copy = (r: Raster): Raster => ({ ...r, data: r.data.slice() });

let reference: Promise<FacePipeline> | undefined;
/** The same frame through a pipeline that has just analysed an unrelated still: it cannot skip its detector. */
async function withDetector(frame: Raster, prior: readonly Point[] | undefined): Promise<FrameAnalysis> {
  reference ??= FacePipeline.create(testModelSet(), onnxInference);
  const p = await reference;
  const blank: Raster = { width: 64, height: 48, channels: 3, data: new Uint8Array(64 * 48 * 3) };
  await p.analyse(blank, { embed: false });
  return p.analyse(copy(frame), { embed: true, follow: true, prior });
}

for (const n of [2, 3, 6]) {
  test(`sample${n}: followed with the detector on one frame in ${CONFIRM_EVERY}, the same landmarks and embeddings as with it on every frame`, async () => {
    const frames = await stream(n, FRAMES);
    const p = await FacePipeline.create(testModelSet(), onnxInference);
    try {
      let prior: readonly Point[] | undefined;
      let sinceDetectorBox = 0;
      for (const [i, f] of frames.entries()) {
        const want = await withDetector(f, prior);
        const got = await p.analyse(copy(f), { embed: true, follow: true, prior });
        assert.ok(want.primary && want.embedding, `sample${n} frame ${i}: the reference found the face`);
        assert.ok(got.primary && got.embedding, `sample${n} frame ${i}: a face`);
        assert.deepEqual(got.primary.landmarks, want.primary.landmarks, `sample${n} frame ${i}: landmarks`);
        assert.ok(cosine(got.embedding, want.embedding) > 0.99999, `sample${n} frame ${i}: embedding`);
        const b = got.primary.box;
        const w = want.primary.box;
        assert.ok(
          Math.abs(b.x + b.width / 2 - w.x - w.width / 2) < 0.2 * w.width && Math.abs(b.width / w.width - 1) < 0.2,
          `sample${n} frame ${i}: box ${JSON.stringify(b)} vs the detector's ${JSON.stringify(w)}`,
        );
        // A frame the detector confirmed reports the detector's own box.
        sinceDetectorBox = isDeepStrictEqual(b, w) ? 0 : sinceDetectorBox + 1;
        assert.ok(sinceDetectorBox < CONFIRM_EVERY, `sample${n} frame ${i}: no detector box for ${sinceDetectorBox} frames`);
        prior = got.primary.landmarks;
      }
    } finally {
      await p.close();
    }
  });
}

test(`a face that leaves is no longer reported within ${CONFIRM_EVERY} frames`, async () => {
  const frames = await stream(3, 4);
  const p = await FacePipeline.create(testModelSet(), onnxInference);
  try {
    let prior: readonly Point[] | undefined;
    for (const f of frames.slice(0, 2)) prior = (await p.analyse(copy(f), { embed: false, follow: true, prior })).primary?.landmarks;
    assert.ok(prior, 'the face is followed');
    // The room without the person: the frame's corner colour everywhere, with sensor noise.
    const f = frames[2]!;
    const empty = new Uint8Array(f.data.length);
    for (let i = 0; i < empty.length; i++) empty[i] = Math.max(0, Math.min(255, f.data[i % 3]! + ((i * 7919) % 9) - 4));
    let seen = 0;
    for (let k = 0; k < CONFIRM_EVERY; k++) {
      const a = await p.analyse({ ...f, data: empty.slice() }, { embed: false, follow: true, prior });
      if (a.primary) seen++;
      prior = a.primary?.landmarks ?? prior;
    }
    const last = await p.analyse({ ...f, data: empty.slice() }, { embed: false, follow: true, prior });
    assert.equal(last.primary, undefined, `still followed after ${CONFIRM_EVERY} empty frames`);
    assert.ok(seen < CONFIRM_EVERY, `a face reported on all ${seen} empty frames`);
  } finally {
    await p.close();
  }
});

test.after(async () => {
  await (await reference)?.close();
});

test.run();
