/**
 * Acquisition on harder views of real faces: face-api's bundled demo photos, each face located by
 * face-api's own SSD detector (not ours), cut tight (the face touching the border), small, turned
 * ±30° in the image plane, dark, over-exposed and backlit (variants.ts), each as a chip photo
 * (greyscale JPEG 2000 through our decoder) and as a camera frame. The pipeline must embed the
 * face that is there, in all but a few of them; the accuracy bench measures the same on a dataset
 * the views were not chosen on.
 */
import assert from 'node:assert/strict';
import { test } from 'uvu';
import { acquire, type AcquirePath } from '../../../cli/commands/bench/acquire.ts';
import { referenceFinder } from '../../../cli/commands/bench/reference-finder.ts';
import { faceApiModelDir } from '../../../tools/models/build-models.ts';
import { decodeRgb } from '../../../hardware-sim/face/face-material.ts';
import { frameVariant, portraitVariant, VARIANTS } from '../../../hardware-sim/face/variants.ts';
import { samplePath, sharedPipeline } from './support/demo-faces.ts';

/** Demo photos tried (their most confident face each). */
const PHOTOS = 3;
/** Misses allowed over the 3 photos × 8 views × 2 paths (the views find 346 of 352 demo variants). */
const MAX_MISSES = 1;

test('tight, small, turned ±30°, dark, bright and backlit faces are found as chip photo and as camera frame', async () => {
  const pipeline = await sharedPipeline();
  const finder = await referenceFinder(faceApiModelDir());
  const misses: string[] = [];
  let tried = 0;
  for (let n = 1; n <= PHOTOS; n++) {
    const image = await decodeRgb(samplePath(n));
    const face = await finder.find(image);
    assert.ok(face, `sample${n}: face-api found no face`);
    for (const variant of VARIANTS) {
      for (const path of ['enrol', 'probe'] as const satisfies readonly AcquirePath[]) {
        const placed = path === 'enrol' ? await portraitVariant(image, face, variant) : await frameVariant(image, face, variant);
        const r = await acquire(pipeline, placed, path);
        r.emb?.fill(0);
        tried++;
        if (!r.emb) misses.push(`sample${n} ${variant} ${path}: ${r.failure ?? '?'}`);
      }
    }
  }
  assert.equal(tried, PHOTOS * VARIANTS.length * 2);
  assert.ok(misses.length <= MAX_MISSES, `${misses.length} of ${tried} not acquired:\n${misses.join('\n')}`);
});

test.after(async () => {
  await (await sharedPipeline()).close();
});

test.run();
