/**
 * The cosine threshold shipped for the default model set (dlib ResNet embeddings, 5-point
 * aligned, chip photo vs camera frame). Where it came from: `kaoreader bench face-accuracy
 * --dataset <13-person dev set> --folds 5 --json` → `crossValidated.threshold`: the median of the
 * five fold thresholds, each the highest threshold that keeps FRR ≤ 1 % on the pairs of the other
 * folds' people only (cli/commands/bench/calibration.ts). The bench prints whether this value
 * still equals what the cross-validation gives (`shippedEqualsCrossValidated`); figures and the
 * run that set it: docs/benchmarks/face.md. Another recognizer needs its own calibration.
 */
export const CALIBRATED_THRESHOLD = 0.9317;
