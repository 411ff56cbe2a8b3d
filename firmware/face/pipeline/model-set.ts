/**
 * The configurable model set: which ONNX files the pipeline runs and how to read them.
 * The contract each file must meet is documented in docs/face-models.md; a manufacturer drops
 * its own files in a directory with a `manifest.json` of SHA-256 checksums and points the
 * config at it. The default set is converted from face-api's weights by the build tooling
 * (tools/models/build-models.ts), which the composition root runs first (cli/face-models.ts).
 */
import { join } from 'node:path';
import type { FaceConfig } from '../../config/sections/face.ts';
import { DLIB_150_TEMPLATE, type Point } from './geometry.ts';

/** The default detector's anchor boxes (face-api's tiny face detector, in grid cells). */
export const TINY_DETECTOR_ANCHORS: readonly (readonly [number, number])[] = [
  [1.603231, 2.094468],
  [6.041143, 7.080126],
  [2.882459, 3.518061],
  [4.266906, 5.178857],
  [9.041765, 10.66308],
];

export interface ModelSet {
  /** Directory holding the files and `manifest.json`. */
  readonly dir: string;
  readonly detector: {
    readonly file: string;
    /** Square input side, a multiple of 32. */
    readonly inputSize: number;
    readonly anchors: readonly (readonly [number, number])[];
    readonly minScore: number;
    readonly maxIou: number;
  };
  readonly landmarks: { readonly file: string; readonly inputSize: number };
  readonly recognizer: {
    readonly file: string;
    readonly inputSize: number;
    /** Where the 5 points (eyes, nose tip, mouth corners) go in the recognizer's crop. */
    readonly template: readonly Point[];
    readonly dimensions: number;
  };
  /** Intra-op threads per session. */
  readonly threads: number;
}

/** A model set over `dir` with the default contracts (tiny-YOLO grid, 68 points, dlib template). */
export function modelSetIn(
  dir: string,
  files: { detector: string; landmarks: string; recognizer: string },
  overrides: { threads?: number; detectorSize?: number } = {},
): ModelSet {
  return {
    dir,
    detector: {
      file: files.detector,
      inputSize: overrides.detectorSize ?? 416,
      anchors: TINY_DETECTOR_ANCHORS,
      minScore: 0.35,
      maxIou: 0.4,
    },
    landmarks: { file: files.landmarks, inputSize: 112 },
    recognizer: { file: files.recognizer, inputSize: 150, template: DLIB_150_TEMPLATE, dimensions: 128 },
    threads: overrides.threads ?? 2,
  };
}

/** The default set in `cacheDir` (converted there by tools/models/build-models.ts). */
export function defaultModelSetIn(cacheDir: string, overrides: { threads?: number; detectorSize?: number } = {}): ModelSet {
  return modelSetIn(cacheDir, { detector: 'detector.onnx', landmarks: 'landmarks.onnx', recognizer: 'recognizer.onnx' }, overrides);
}

export const modelPath = (set: ModelSet, file: string): string => join(set.dir, file);

/** The model set a configuration asks for: a manufacturer's directory, or the default in `cacheDir`. */
export function modelSetOf(face: FaceConfig, cacheDir: string): ModelSet {
  const overrides = { threads: face.threads, detectorSize: face.detectorSize };
  if (!face.modelDir) return defaultModelSetIn(cacheDir, overrides);
  return modelSetIn(
    face.modelDir,
    { detector: face.detectorFile, landmarks: face.landmarksFile, recognizer: face.recognizerFile },
    overrides,
  );
}
