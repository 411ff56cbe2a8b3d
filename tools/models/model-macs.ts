/**
 * How much arithmetic the default models do: multiply-accumulates of their convolutions and
 * dense layers, counted while building each graph from face-api's weights (graph-builder.ts), the
 * detector at the input sides asked for. Activations, pooling and the input transpose are left
 * out (a few per cent). For estimates of frames per second on other processors.
 */
import { join } from 'node:path';
import { faceApiModelDir } from './build-models.ts';
import { convertDetector } from './convert-detector.ts';
import { convertLandmarks } from './convert-landmarks.ts';
import { convertRecognizer } from './convert-recognizer.ts';

export interface ModelMacs {
  /** By detector input side. */
  readonly detector: Readonly<Record<number, number>>;
  readonly landmarks: number;
  readonly recognizer: number;
}

export function defaultModelMacs(detectorSizes: readonly number[], modelDir = faceApiModelDir()): ModelMacs {
  const detector: Record<number, number> = {};
  for (const size of detectorSizes)
    detector[size] = convertDetector(join(modelDir, 'tiny_face_detector_model-weights_manifest.json'), size).macs;
  return {
    detector,
    landmarks: convertLandmarks(join(modelDir, 'face_landmark_68_model-weights_manifest.json')).macs,
    recognizer: convertRecognizer(join(modelDir, 'face_recognition_model-weights_manifest.json')).macs,
  };
}
