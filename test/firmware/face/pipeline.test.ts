/**
 * The pipeline on real faces (face-api's bundled demo photos): faces are found, a face matches
 * itself after augmentation (scale, brightness, small rotation, JPEG round trip), different
 * people do not match, guidance sees what is wrong with a frame.
 */
import assert from 'node:assert/strict';
import sharp, { type Sharp } from 'sharp';
import { test } from 'uvu';
import { DEFAULT_DECISION_POLICY } from '../../../firmware/face/decision.ts';
import { assessFrame } from '../../../firmware/face/guidance.ts';
import { cosine } from '../../../firmware/face/pipeline/pipeline.ts';
import type { Rgb } from '../../../hardware-sim/face/synthetic-sequences.ts';
import { cameraFrame } from '../../../hardware-sim/face/face-material.ts';
import { facesIn, sharedPipeline } from './support/demo-faces.ts';

const threshold = DEFAULT_DECISION_POLICY.threshold;

async function embed(frame: Rgb): Promise<Float32Array> {
  const a = await (await sharedPipeline()).analyse({ ...frame, channels: 3 }, { embed: true });
  assert.ok(a.embedding, 'a face was found and embedded');
  return a.embedding;
}

async function augment(frame: Rgb): Promise<Rgb> {
  const jpeg = await sharp(Buffer.from(frame.data), { raw: { width: frame.width, height: frame.height, channels: 3 } })
    .rotate(6, { background: '#333' })
    .resize(560)
    .modulate({ brightness: 1.25 })
    .jpeg({ quality: 70 })
    .toBuffer();
  const { data, info } = await sharp(jpeg)
    .resize(640, 480, { fit: 'contain', background: '#333' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8Array(data) };
}

test('faces are found in every demo photo', async () => {
  for (let n = 1; n <= 6; n++) {
    const { faces } = await facesIn(n);
    assert.ok(faces.length >= 2, `sample${n}: ${faces.length} faces`);
    for (const f of faces) assert.ok(f.width > 80 && f.height > 80, `sample${n}: implausible face ${JSON.stringify(f)}`);
  }
});

test('a face matches itself after augmentation; different people do not match', async () => {
  const people: Float32Array[] = [];
  for (const n of [3, 4, 6]) {
    const { image, faces } = await facesIn(n);
    for (const face of faces.slice(0, 2)) {
      const frame = await cameraFrame(image, face);
      const original = await embed(frame);
      const augmented = await embed(await augment(frame));
      const same = cosine(original, augmented);
      assert.ok(same >= threshold, `sample${n}: same face scored ${same.toFixed(3)} < ${threshold}`);
      people.push(original);
    }
  }
  let worst = -1;
  for (let i = 0; i < people.length; i++)
    for (let j = i + 1; j < people.length; j++) worst = Math.max(worst, cosine(people[i]!, people[j]!));
  assert.ok(worst < threshold, `two different people scored ${worst.toFixed(3)} ≥ ${threshold}`);
});

test('guidance: a clean frame, no face, several faces, too far, too dark, blurred', async () => {
  const p = await sharedPipeline();
  const { image, faces } = await facesIn(3);
  const frame = await cameraFrame(image, faces[0]!);
  const run = async (f: Rgb) => assessFrame(await p.analyse({ ...f, channels: 3 }, { embed: false }));
  const raw = (f: Rgb) => sharp(Buffer.from(f.data), { raw: { width: f.width, height: f.height, channels: 3 } });
  const back = async (s: Sharp): Promise<Rgb> => {
    const { data, info } = await s.raw().toBuffer({ resolveWithObject: true });
    return { width: info.width, height: info.height, data: new Uint8Array(data) };
  };
  assert.deepEqual(await run(frame), []);
  assert.deepEqual(await run({ ...frame, data: new Uint8Array(frame.data.length).fill(128) }), ['no-face']);
  assert.ok((await run(await cameraFrame(image, faces[0]!, 60))).includes('too-far'));
  assert.ok((await run(await back(raw(frame).linear(0.45, 0)))).includes('too-dark'));
  assert.ok((await run(await back(raw(frame).blur(4)))).includes('blurred'));
  const wide = await back(
    sharp(Buffer.from(image.data), { raw: { width: image.width, height: image.height, channels: 3 } }).resize(640, 480, { fit: 'cover' }),
  );
  assert.ok((await run(wide)).includes('several-faces'));
});

test('guidance: a flat mask over nose and mouth, or dark glasses, is a covered face', async () => {
  const p = await sharedPipeline();
  const { image, faces } = await facesIn(6);
  const frame = await cameraFrame(image, faces[0]!);
  const clean = await p.analyse({ ...frame, channels: 3 }, { embed: false });
  assert.ok(clean.primary);
  assert.deepEqual(assessFrame(clean), []);
  const l = clean.primary.landmarks;
  const paint = (x0: number, x1: number, y0: number, y1: number, rgb: readonly number[]): Rgb => {
    const data = frame.data.slice();
    for (let y = Math.round(y0); y < Math.round(y1); y++)
      for (let x = Math.round(x0); x < Math.round(x1); x++) data.set(rgb, (y * frame.width + x) * 3);
    return { ...frame, data };
  };
  const masked = paint(l[2]![0], l[14]![0], l[29]![1], l[8]![1], [170, 200, 225]);
  assert.ok(assessFrame(await p.analyse({ ...masked, channels: 3 }, { embed: false })).includes('face-covered'));
  const eyeY = (l[36]![1] + l[45]![1]) / 2;
  const glasses = paint(l[36]![0] - 8, l[45]![0] + 8, eyeY - 9, eyeY + 9, [15, 15, 20]);
  assert.ok(assessFrame(await p.analyse({ ...glasses, channels: 3 }, { embed: false })).includes('face-covered'));
});

test.run();
