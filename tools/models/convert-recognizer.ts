/**
 * face-api's face_recognition_model (a port of dlib's ResNet-29 face descriptor, public-domain
 * weights) → ONNX. Structure (from face-api's FaceRecognitionNet, re-expressed here):
 * conv 7×7/2 valid + affine + ReLU, max-pool 3/2 valid, residual stages at 32/64/128/256
 * channels; a "down" residual block convolves 3×3/2 valid while its shortcut average-pools 2/2
 * and is zero-padded in channels (and the conv path zero-padded by one row/column when the two
 * sizes differ); global average; dense 256→128 without bias.
 *
 * Contract: input `image` float32 [N,150,150,3] RGB 0..255 (an aligned face crop);
 * output `embedding` float32 [N,128] (not normalised).
 */
import { GraphBuilder, type Value } from './graph-builder.ts';
import type { OnnxModel } from './onnx-writer.ts';
import { readTfjsWeights, weight, type TfjsTensor } from './tfjs-weights.ts';

const MEAN_RGB = [122.782, 117.001, 104.298];
export const RECOGNIZER_SIZE = 150;

export function convertRecognizer(manifestPath: string): OnnxModel & { macs: number } {
  const w = readTfjsWeights(manifestPath);
  const g = new GraphBuilder();
  const t = (name: string, rank: number): TfjsTensor => weight(w, name, rank);

  const convLayer = (x: Value, prefix: string, stride: number, relu: boolean): Value => {
    const padding = stride === 1 ? 'same' : 'valid';
    let out = g.conv(x, t(`${prefix}/conv/filters`, 4), t(`${prefix}/conv/bias`, 1), stride, padding);
    out = g.channelAffine(out, t(`${prefix}/scale/weights`, 1), t(`${prefix}/scale/biases`, 1));
    return relu ? g.relu(out) : out;
  };
  const residual = (x: Value, prefix: string): Value => {
    const out = convLayer(convLayer(x, `${prefix}/conv1`, 1, true), `${prefix}/conv2`, 1, false);
    return g.relu(g.add(out, x));
  };
  const residualDown = (x: Value, prefix: string): Value => {
    let out = convLayer(convLayer(x, `${prefix}/conv1`, 2, true), `${prefix}/conv2`, 1, false);
    let pooled = g.pool('AveragePool', x, 2, 2, 'valid');
    if (pooled.h !== out.h || pooled.w !== out.w) out = g.padEnd(out, 0, pooled.h - out.h, pooled.w - out.w);
    if (pooled.c !== out.c) pooled = g.padEnd(pooled, out.c - pooled.c, 0, 0);
    return g.relu(g.add(pooled, out));
  };

  let x = g.normalisedInput('image', 3, RECOGNIZER_SIZE, RECOGNIZER_SIZE, MEAN_RGB);
  x = convLayer(x, 'conv32_down', 2, true);
  x = g.pool('MaxPool', x, 3, 2, 'valid');
  for (const p of ['conv32_1', 'conv32_2', 'conv32_3']) x = residual(x, p);
  x = residualDown(x, 'conv64_down');
  for (const p of ['conv64_1', 'conv64_2', 'conv64_3']) x = residual(x, p);
  x = residualDown(x, 'conv128_down');
  for (const p of ['conv128_1', 'conv128_2']) x = residual(x, p);
  x = residualDown(x, 'conv256_down');
  for (const p of ['conv256_1', 'conv256_2']) x = residual(x, p);
  x = residualDown(x, 'conv256_down_out');
  g.finish(g.globalAvgDense(x, t('fc', 2), undefined), 'embedding');
  return {
    ...g.model(
      'recognizer',
      { name: 'image', dims: ['N', RECOGNIZER_SIZE, RECOGNIZER_SIZE, 3] },
      { name: 'embedding', dims: ['N', 128] },
      {
        source: '@vladmandic/face-api face_recognition_model (dlib ResNet, public domain weights)',
      },
    ),
    macs: g.macs,
  };
}
