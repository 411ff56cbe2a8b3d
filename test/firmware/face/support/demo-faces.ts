/**
 * Test material from the photos that ship inside @vladmandic/face-api (demo/sample*.jpg):
 * their faces, found with our own pipeline (detector at 608 px).
 */
import { join } from 'node:path';
import { faceApiModelDir } from '../../../../tools/models/build-models.ts';
import { type ModelSet } from '../../../../firmware/face/pipeline/model-set.ts';
import { defaultModelSet } from '../../../../cli/face-models.ts';
import { FacePipeline } from '../../../../firmware/face/pipeline/pipeline.ts';
import type { Box } from '../../../../firmware/face/pipeline/detector-decode.ts';
import { decodeRgb } from '../../../../hardware-sim/face/face-material.ts';
import type { Rgb } from '../../../../hardware-sim/face/synthetic-sequences.ts';
import { onnxInference } from '../../../../firmware/platform/onnx-runtime.ts';

export const samplePath = (n: number): string => join(faceApiModelDir(), '..', 'demo', `sample${n}.jpg`);

export function testModelSet(): ModelSet {
  return defaultModelSet('var/models', { threads: 1 });
}

let pipeline: Promise<FacePipeline> | undefined;
export function sharedPipeline(): Promise<FacePipeline> {
  pipeline ??= FacePipeline.create(testModelSet(), onnxInference);
  return pipeline;
}

/** Faces of a demo photo (detector at 608 px on the 1280 px image), biggest first. */
let finder: Promise<FacePipeline> | undefined;
const found = new Map<number, Promise<{ image: Rgb; faces: Box[] }>>();

export function facesIn(n: number): Promise<{ image: Rgb; faces: Box[] }> {
  finder ??= FacePipeline.create({ ...testModelSet(), detector: { ...testModelSet().detector, inputSize: 608 } }, onnxInference);
  const cached =
    found.get(n) ??
    (async () => {
      const image = await decodeRgb(samplePath(n));
      const a = await (await finder!).analyse({ ...image, channels: 3 }, { embed: false });
      return { image, faces: [...a.faces].sort((x, y) => y.width - x.width) };
    })();
  found.set(n, cached);
  return cached;
}
