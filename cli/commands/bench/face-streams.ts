/**
 * Camera-like material for `bench face`: short streams of faces at the reader. Each of the twelve
 * biggest faces of face-api's demo photos is framed as a camera at the reader sees it (640×480,
 * face ≈ 200 px wide) and played for `frames` frames by the live-face simulator (sway, light
 * drift, sensor noise, spontaneous blinks): the frames a worker gets while it follows a face.
 * Faces are found by the detector at 608 px on the 1,280 px photo, their eyes by our landmarks —
 * only to frame them.
 */
import { join } from 'node:path';
import { faceApiModelDir } from '../../../tools/models/build-models.ts';
import { defaultModelSet } from '../../face-models.ts';
import { FacePipeline } from '../../../firmware/face/pipeline/pipeline.ts';
import { LiveFaceRenderer } from '../../../hardware-sim/camera/live-face.ts';
import { cameraFrame, decodeRgb } from '../../../hardware-sim/face/face-material.ts';
import type { Rgb } from '../../../hardware-sim/face/synthetic-sequences.ts';
import { onnxInference } from '../../../firmware/platform/onnx-runtime.ts';

/** `streams` arrays of consecutive frames (one array per face). */
export async function faceStreams(frames: number): Promise<Rgb[][]> {
  const base = defaultModelSet('var/models', { threads: 1 });
  const finder = await FacePipeline.create({ ...base, detector: { ...base.detector, inputSize: 608 } }, onnxInference);
  const out: Rgb[][] = [];
  try {
    for (let n = 1; n <= 6; n++) {
      const image = await decodeRgb(join(faceApiModelDir(), '..', 'demo', `sample${n}.jpg`));
      const a = await finder.analyse({ ...image, channels: 3 }, { embed: false });
      for (const face of [...a.faces].sort((x, y) => y.width - x.width).slice(0, 2)) {
        const still = await cameraFrame(image, face);
        const found = await finder.analyse({ ...still, channels: 3 }, { embed: false });
        const l = found.primary?.landmarks;
        if (!l) continue;
        const eye = (from: number): [number, number] => {
          let x = 0;
          let y = 0;
          for (let k = 0; k < 6; k++) {
            x += l[from + k]![0] / 6;
            y += l[from + k]![1] / 6;
          }
          return [x, y];
        };
        const live = new LiveFaceRenderer({ face: still, eyes: [eye(36), eye(42)], seed: out.length + 1 });
        out.push(
          Array.from({ length: frames }, (_, i) => {
            const data = new Uint8Array(still.width * still.height * 3);
            live.render(i, data);
            return { width: still.width, height: still.height, data };
          }),
        );
      }
      image.data.fill(0);
    }
  } finally {
    await finder.close();
  }
  return out;
}
