/**
 * face-api's tiny_face_detector_model (a Tiny-YOLOv2 variant with separable convolutions) →
 * ONNX. Structure (from face-api's TinyYolov2Base.runMobilenet, re-expressed here): conv 3×3
 * valid + leaky ReLU(0.1), then five [max-pool 2/2 same → zero-pad 1 → separable conv 3×3 →
 * leaky], a max-pool 2/1 same, a sixth separable conv, and a 1×1 conv to 5 anchors × 5 values.
 *
 * Contract: input `image` float32 [1,S,S,3] RGB 0..255 where S is a multiple of 32 (the frame
 * letterboxed to the top-left of an S×S square, black padding); output `grid` float32
 * [1,25,S/32,S/32]: per cell and anchor a (tx, ty, tw, th, objectness logit), decoded with
 * TINY_DETECTOR_ANCHORS (firmware/face/pipeline/model-set.ts; see detector-decode.ts).
 */
import { GraphBuilder, type Value } from './graph-builder.ts';
import type { OnnxModel } from './onnx-writer.ts';
import { readTfjsWeights, weight, type TfjsTensor } from './tfjs-weights.ts';

const MEAN_RGB = [117.001, 114.697, 97.404];

/** The converted graph; `size` fixes the input side (only to count its work: the model file keeps it symbolic). */
export function convertDetector(manifestPath: string, size?: number): OnnxModel & { macs: number } {
  const w = readTfjsWeights(manifestPath);
  const g = new GraphBuilder();
  const t = (name: string, rank: number): TfjsTensor => weight(w, name, rank);
  const sepConv = (x: Value, prefix: string): Value => {
    const d = g.depthwise(x, t(`${prefix}/depthwise_filter`, 4), 1, 'same');
    return g.leaky(g.conv(d, t(`${prefix}/pointwise_filter`, 4), t(`${prefix}/bias`, 1), 1, 'same'), 0.1);
  };

  let x = g.normalisedInput('image', 3, size ?? -1, size ?? -1, MEAN_RGB);
  x = g.leaky(g.conv(x, t('conv0/filters', 4), t('conv0/bias', 1), 1, 'valid'), 0.1);
  for (const p of ['conv1', 'conv2', 'conv3', 'conv4', 'conv5']) x = sepConv(g.pool('MaxPool', x, 2, 2, 'same'), p);
  x = g.pool('MaxPool', x, 2, 1, 'same');
  x = g.conv(x, t('conv8/filters', 4), t('conv8/bias', 1), 1, 'valid');
  g.finish(x.name, 'grid');
  return {
    ...g.model(
      'tiny_face_detector',
      { name: 'image', dims: [1, 'S', 'S', 3] },
      { name: 'grid', dims: [1, 25, 'G', 'G'] },
      {
        source: '@vladmandic/face-api tiny_face_detector_model (MIT)',
      },
    ),
    macs: g.macs,
  };
}
