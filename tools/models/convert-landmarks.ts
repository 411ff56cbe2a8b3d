/**
 * face-api's face_landmark_68_model → ONNX. Structure (from face-api's FaceFeatureExtractor and
 * FaceLandmark68Net, re-expressed here): four dense blocks of separable convolutions (the first
 * block's first conv is a plain 3×3/2 conv), each halving the size (112→56→28→14→7), average
 * pool 7/2 valid, dense 256→136.
 *
 * Contract: input `image` float32 [N,112,112,3] RGB 0..255 (a square face crop); output
 * `landmarks` float32 [N,136]: x0,y0,x1,y1… as fractions of the crop side (iBUG 68-point order).
 */
import { GraphBuilder, type Value } from './graph-builder.ts';
import type { OnnxModel } from './onnx-writer.ts';
import { readTfjsWeights, weight, type TfjsTensor } from './tfjs-weights.ts';

const MEAN_RGB = [122.782, 117.001, 104.298];
export const LANDMARKS_SIZE = 112;

export function convertLandmarks(manifestPath: string): OnnxModel & { macs: number } {
  const w = readTfjsWeights(manifestPath);
  const g = new GraphBuilder();
  const t = (name: string, rank: number): TfjsTensor => weight(w, name, rank);

  const sepConv = (x: Value, prefix: string, stride: number): Value => {
    const d = g.depthwise(x, t(`${prefix}/depthwise_filter`, 4), stride, 'same');
    return g.conv(d, t(`${prefix}/pointwise_filter`, 4), t(`${prefix}/bias`, 1), 1, 'same');
  };
  const denseBlock = (x: Value, prefix: string, first: boolean): Value => {
    const out1 = g.relu(
      first ? g.conv(x, t(`${prefix}/conv0/filters`, 4), t(`${prefix}/conv0/bias`, 1), 2, 'same') : sepConv(x, `${prefix}/conv0`, 2),
    );
    const out2 = sepConv(out1, `${prefix}/conv1`, 1);
    const out3 = sepConv(g.relu(g.add(out1, out2)), `${prefix}/conv2`, 1);
    const sum3 = g.add(out1, g.add(out2, out3));
    const out4 = sepConv(g.relu(sum3), `${prefix}/conv3`, 1);
    return g.relu(g.add(out1, g.add(out2, g.add(out3, out4))));
  };

  let x = g.normalisedInput('image', 3, LANDMARKS_SIZE, LANDMARKS_SIZE, MEAN_RGB);
  x = denseBlock(x, 'dense0', true);
  x = denseBlock(x, 'dense1', false);
  x = denseBlock(x, 'dense2', false);
  x = denseBlock(x, 'dense3', false);
  x = g.pool('AveragePool', x, 7, 2, 'valid');
  g.finish(g.globalAvgDense(x, t('fc/weights', 2), t('fc/bias', 1)), 'landmarks');
  return {
    ...g.model(
      'landmarks68',
      { name: 'image', dims: ['N', LANDMARKS_SIZE, LANDMARKS_SIZE, 3] },
      { name: 'landmarks', dims: ['N', 136] },
      {
        source: '@vladmandic/face-api face_landmark_68_model (MIT)',
      },
    ),
    macs: g.macs,
  };
}
