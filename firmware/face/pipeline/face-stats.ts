/**
 * Image statistics of one detected face, for guidance and passive liveness: brightness of the
 * face, its surround and the frame (dark / bright / backlit), sharpness of the aligned crop
 * (Laplacian variance, blur), texture of the mouth and eye regions relative to each other
 * (a mask or scarf flattens the mouth region, sunglasses darken the eyes), and the share of
 * clipped highlights (glare on glass or glossy paper).
 */
import type { Box } from './detector-decode.ts';
import type { Point } from './geometry.ts';
import type { Raster } from './raster.ts';
import { laplacianVariance, meanLuma } from './luma.ts';

export interface FaceStats {
  readonly faceLuma: number;
  readonly surroundLuma: number;
  readonly frameLuma: number;
  /** Laplacian variance of the aligned grey crop. */
  readonly sharpness: number;
  /** Mouth-region texture over eye-region texture (≈0.3–1.5 uncovered, small when masked). */
  readonly mouthTexture: number;
  /** Eye-region luma over cheek luma (≈0.8–1 bare eyes, small with dark glasses). */
  readonly eyeBrightness: number;
  /** Fraction of face pixels at ≥ 250 in all channels. */
  readonly clipped: number;
}

function regionGrey(
  grey: Float32Array,
  size: number,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
): { plane: Float32Array; w: number; h: number; mean: number } {
  const w = Math.max(1, Math.round(x1 - x0));
  const h = Math.max(1, Math.round(y1 - y0));
  const plane = new Float32Array(w * h);
  let sum = 0;
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const sx = Math.min(size - 1, Math.max(0, Math.round(x0) + x));
      const sy = Math.min(size - 1, Math.max(0, Math.round(y0) + y));
      const v = grey[sy * size + sx]!;
      plane[y * w + x] = v;
      sum += v;
    }
  return { plane, w, h, mean: sum / (w * h) };
}

/**
 * One pass over the aligned crop: its grey plane (into `grey`), its clipped highlights, and the
 * plane's Laplacian variance, each row's Laplacian taken as soon as the row below it is grey. The
 * sums run in laplacianVariance's order over the same float32 values, so `sharpness` is the value
 * laplacianVariance(grey, size, size) gives, bit for bit.
 */
function greyPass(aligned: Float32Array, size: number, grey: Float32Array): { clippedCount: number; sharpness: number } {
  let clippedCount = 0;
  let sum = 0;
  let sq = 0;
  for (let y = 0, i = 0, o = 0; y < size; y++) {
    for (const end = i + size; i < end; i++, o += 3) {
      const r = aligned[o]!;
      const g = aligned[o + 1]!;
      const b = aligned[o + 2]!;
      grey[i] = 0.299 * r + 0.587 * g + 0.114 * b;
      if (r >= 250 && g >= 250 && b >= 250) clippedCount++;
    }
    if (y < 2) continue;
    // Row y − 1 has both neighbours now.
    for (let k = (y - 1) * size + 1, end = y * size - 1; k < end; k++) {
      const l = grey[k - 1]! + grey[k + 1]! + grey[k - size]! + grey[k + size]! - 4 * grey[k]!;
      sum += l;
      sq += l * l;
    }
  }
  const n = size > 2 ? (size - 2) ** 2 : 0;
  return { clippedCount, sharpness: n ? sq / n - (sum / n) ** 2 : 0 };
}

/**
 * `grey`: a size² plane the caller reuses (and wipes: it holds the face) for the aligned crop's
 * grey copy, instead of a new one per frame.
 */
export function measureFace(
  frame: Raster,
  box: Box,
  aligned: Float32Array,
  size: number,
  template: readonly Point[],
  grey: Float32Array = new Float32Array(size * size),
): FaceStats {
  const faceLuma = meanLuma(frame, box);
  const outer = { x: box.x - box.width, y: box.y - box.height / 2, width: box.width * 3, height: box.height * 2 };
  const outerArea = Math.max(1, Math.min(frame.width, outer.width) * Math.min(frame.height, outer.height));
  const boxArea = box.width * box.height;
  const outerMean = meanLuma(frame, outer);
  const surroundLuma = outerArea > boxArea ? (outerMean * outerArea - faceLuma * boxArea) / (outerArea - boxArea) : outerMean;
  const frameLuma = meanLuma(frame, { x: 0, y: 0, width: frame.width, height: frame.height });

  const { clippedCount, sharpness } = greyPass(aligned, size, grey);
  const [le, re, , ml, mr] = template as [Point, Point, Point, Point, Point];
  const iod = re[0] - le[0];
  const eyeR = iod * 0.25;
  const eyeL = regionGrey(grey, size, le[0] - eyeR, le[1] - eyeR * 0.6, le[0] + eyeR, le[1] + eyeR * 0.6);
  const eyeRt = regionGrey(grey, size, re[0] - eyeR, re[1] - eyeR * 0.6, re[0] + eyeR, re[1] + eyeR * 0.6);
  const mouth = regionGrey(grey, size, ml[0], ml[1] - iod * 0.2, mr[0], ml[1] + iod * 0.2);
  const cheekY = (le[1] + ml[1]) / 2;
  const cheekL = regionGrey(grey, size, le[0] - eyeR, cheekY - eyeR * 0.5, le[0] + eyeR * 0.5, cheekY + eyeR * 0.5);
  const cheekR = regionGrey(grey, size, re[0] - eyeR * 0.5, cheekY - eyeR * 0.5, re[0] + eyeR, cheekY + eyeR * 0.5);
  const eyeTex = (laplacianVariance(eyeL.plane, eyeL.w, eyeL.h) + laplacianVariance(eyeRt.plane, eyeRt.w, eyeRt.h)) / 2;
  const mouthTexture = eyeTex > 0 ? laplacianVariance(mouth.plane, mouth.w, mouth.h) / eyeTex : 0;
  const cheek = (cheekL.mean + cheekR.mean) / 2;
  const eyeBrightness = cheek > 1 ? (eyeL.mean + eyeRt.mean) / 2 / cheek : 1;

  return { faceLuma, surroundLuma, frameLuma, sharpness, mouthTexture, eyeBrightness, clipped: clippedCount / (size * size) };
}
