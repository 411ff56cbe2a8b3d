import { CALIBRATED_THRESHOLD } from '../face-threshold.ts';

/**
 * `face`: the face verification policy and model set. With `modelDir` unset the default set is
 * converted from face-api's weights into var/models; a manufacturer's own set is a directory
 * with the files named here and a manifest.json of SHA-256 checksums (docs/face-models.md).
 */
export const faceSection = {
  type: 'object',
  additionalProperties: false,
  default: {},
  properties: {
    modelDir: { type: 'string', minLength: 1, description: "a manufacturer's model directory; default: the converted set in var/models" },
    detectorFile: { type: 'string', minLength: 1, default: 'detector.onnx' },
    landmarksFile: { type: 'string', minLength: 1, default: 'landmarks.onnx' },
    recognizerFile: { type: 'string', minLength: 1, default: 'recognizer.onnx' },
    detectorSize: { type: 'integer', minimum: 128, maximum: 1024, multipleOf: 32, default: 416 },
    threads: { type: 'integer', minimum: 1, maximum: 8, default: 2 },
    threshold: {
      type: 'number',
      minimum: 0,
      maximum: 1,
      default: CALIBRATED_THRESHOLD,
      description: 'cosine; cross-validated for the default recognizer (firmware/config/face-threshold.ts)',
    },
    budgetMs: {
      type: 'integer',
      minimum: 500,
      maximum: 30000,
      default: 16000,
      description: 'decision budget from the first face (the liveness challenge: five cued actions, ≈ 11–13 s)',
    },
    enrolBudgetMs: {
      type: 'integer',
      minimum: 1000,
      maximum: 600000,
      default: 5000,
      description: "the chip photo's enrolment (decode and the three models); emulation needs far more",
    },
  },
} as const;

export interface FaceConfig {
  modelDir?: string;
  detectorFile: string;
  landmarksFile: string;
  recognizerFile: string;
  detectorSize: number;
  threads: number;
  threshold: number;
  budgetMs: number;
  enrolBudgetMs: number;
}
