/**
 * The configurable model set: which ONNX files the pipeline runs and how to read them.
 * The contract each file must meet is documented in docs/face-models.md; a manufacturer drops
 * its own files in a directory with a `manifest.json` of SHA-256 checksums and points the
 * config at it. The default set is converted from face-api's weights (build-models.ts).
 */
import { join } from 'node:path';
import { DLIB_150_TEMPLATE, type Point } from './geometry.ts';
import { TINY_DETECTOR_ANCHORS } from '../models/convert-detector.ts';
import { ensureDefaultModels } from '../models/build-models.ts';

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

/** The default set, converting it into `cacheDir` on first use. */
export function defaultModelSet(cacheDir: string, overrides: Partial<Pick<ModelSet, 'threads'>> & { detectorSize?: number } = {}): ModelSet {
  const paths = ensureDefaultModels(cacheDir);
  const file = (p: string): string => p.slice(cacheDir.length + 1);
  return {
    dir: cacheDir,
    detector: { file: file(paths.detector), inputSize: overrides.detectorSize ?? 416, anchors: TINY_DETECTOR_ANCHORS, minScore: 0.35, maxIou: 0.4 },
    landmarks: { file: file(paths.landmarks), inputSize: 112 },
    recognizer: { file: file(paths.recognizer), inputSize: 150, template: DLIB_150_TEMPLATE, dimensions: 128 },
    threads: overrides.threads ?? 2,
  };
}

export const modelPath = (set: ModelSet, file: string): string => join(set.dir, file);
