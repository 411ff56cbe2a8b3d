/** Hand-written analyses and liveness verdicts for the face attempt's tests (no ONNX). */
import type { ChallengeCue } from '../../../../../firmware/face/liveness/challenge.ts';
import type { LivenessReason, LivenessVerdict } from '../../../../../firmware/face/liveness/liveness.ts';
import type { Point } from '../../../../../firmware/face/pipeline/geometry.ts';
import type { FaceObservation, StageTimings } from '../../../../../firmware/face/pipeline/pipeline.ts';

const DIM = 128;

/** A unit embedding whose cosine with `embeddingAt(1)` is `similarity`. */
export function embeddingAt(similarity: number): Float32Array {
  const e = new Float32Array(DIM);
  e[0] = similarity;
  e[1] = Math.sqrt(1 - similarity * similarity);
  return e;
}

/** A frontal face whose box starts at x (68 landmarks on a grid inside it). */
export function faceAt(x: number): FaceObservation {
  const box = { x, y: 100, width: 200, height: 200, score: 0.9 };
  return {
    box,
    landmarks: Array.from({ length: 68 }, (_, i): Point => [x + 20 + (i % 10) * 16, 120 + Math.floor(i / 10) * 24]),
    pose: { yaw: 0, pitch: 0.5, roll: 0 },
    ear: 0.3,
    stats: { faceLuma: 120, surroundLuma: 110, frameLuma: 115, sharpness: 200, mouthTexture: 0.8, eyeBrightness: 0.9, clipped: 0 },
  };
}

export function timings(ms: number): StageTimings {
  return { detect: ms, landmarks: ms, align: ms, embed: ms, model: 3 * ms, total: 4 * ms };
}

const evidence: LivenessVerdict['evidence'] = {
  samples: 1,
  steps: 0,
  actions: [],
  informativePairs: 0,
  planarRatio: 1,
  frozenRun: 0,
};

export const pending = (cue?: ChallengeCue): LivenessVerdict => ({ state: 'pending', ...(cue ? { cue } : {}), evidence });
export const live = (): LivenessVerdict => ({ state: 'live', reason: 'challenge-passed', evidence });
export const spoof = (reason: LivenessReason): LivenessVerdict => ({ state: 'spoof', reason, evidence });
