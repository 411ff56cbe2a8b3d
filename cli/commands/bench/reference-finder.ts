/**
 * Where the face is in a photo, according to a detector that is not ours: face-api's SSD
 * MobileNet v1 on tfjs-wasm (another network, another engine). The accuracy bench uses it to cut
 * camera frames and chip photos, and to check that what our pipeline found is that face.
 */
import type { Box } from '../../../firmware/face/pipeline/detector-decode.ts';
import type { Rgb } from '../../../hardware-sim/face/synthetic-sequences.ts';
import { loadFaceApiReference } from './face-api-reference.ts';

export interface ReferenceFinder {
  /** The most confident face, or undefined. */
  find(image: Rgb): Promise<Box | undefined>;
  /** The most confident face with its eye centres (face-api's 68 points), image-left eye first. */
  findWithEyes(image: Rgb): Promise<{ box: Box; eyes: [[number, number], [number, number]] } | undefined>;
}

export async function referenceFinder(modelDir: string): Promise<ReferenceFinder> {
  const ref = await loadFaceApiReference(modelDir);
  const ssd = ref.faceapi.nets.ssdMobilenetv1;
  if (!ssd.isLoaded) await ssd.loadFromDisk(modelDir);
  const options = new ref.faceapi.SsdMobilenetv1Options({ minConfidence: 0.3 });
  return {
    async find(image) {
      const t = ref.image(image.data, image.width, image.height);
      try {
        const found = await ref.faceapi.detectAllFaces(t, options);
        const best = [...found].sort((a, b) => b.score - a.score)[0];
        return best ? { x: best.box.x, y: best.box.y, width: best.box.width, height: best.box.height, score: best.score } : undefined;
      } finally {
        t.dispose();
      }
    },
    async findWithEyes(image) {
      const t = ref.image(image.data, image.width, image.height);
      try {
        const found = await ref.faceapi.detectAllFaces(t, options).withFaceLandmarks();
        const best = [...found].sort((a, b) => b.detection.score - a.detection.score)[0];
        if (!best) return undefined;
        const pts = best.landmarks.positions;
        const eye = (from: number): [number, number] => {
          let x = 0;
          let y = 0;
          for (let k = 0; k < 6; k++) {
            x += pts[from + k]!.x / 6;
            y += pts[from + k]!.y / 6;
          }
          return [x, y];
        };
        const b = best.detection.box;
        return { box: { x: b.x, y: b.y, width: b.width, height: b.height, score: best.detection.score }, eyes: [eye(36), eye(42)] };
      } finally {
        t.dispose();
      }
    },
  };
}
