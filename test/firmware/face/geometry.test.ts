/**
 * Pure pieces of the pipeline on exact inputs: similarity fitting and its inverse, the YOLO
 * grid decoder and NMS, the ONNX protobuf writer's varints, the typed errors for bad photos.
 */
import assert from 'node:assert/strict';
import { test } from 'uvu';
import { decodeJpeg2000, PhotoDecodeError } from '../../../firmware/face/enrol/jp2-decode.ts';
import { encodeOnnx } from '../../../tools/models/onnx-writer.ts';
import { decodeYoloGrid, nonMaxSuppression } from '../../../firmware/face/pipeline/detector-decode.ts';
import { DLIB_150_TEMPLATE, fitSimilarity, inverseSimilarity, type Point } from '../../../firmware/face/pipeline/geometry.ts';

test('fitSimilarity recovers a known similarity; its inverse maps back', () => {
  const angle = 0.3;
  const s = 1.7;
  const fwd = (p: Point): Point => [
    s * (Math.cos(angle) * p[0] - Math.sin(angle) * p[1]) + 12,
    s * (Math.sin(angle) * p[0] + Math.cos(angle) * p[1]) - 5,
  ];
  const src = DLIB_150_TEMPLATE;
  const t = fitSimilarity(src, src.map(fwd));
  assert.ok(Math.abs(t.a - s * Math.cos(angle)) < 1e-9 && Math.abs(t.b - s * Math.sin(angle)) < 1e-9);
  const [a, b, c, d, e, f] = inverseSimilarity(t);
  for (const p of src) {
    const q = fwd(p);
    assert.ok(Math.abs(a * q[0] + b * q[1] + c - p[0]) < 1e-9 && Math.abs(d * q[0] + e * q[1] + f - p[1]) < 1e-9);
  }
});

test('a YOLO grid with one confident cell decodes to one box in the right place', () => {
  const g = 13;
  const grid = new Float32Array(25 * g * g).fill(-10);
  const cell = 6 * g + 4; // row 6, col 4, anchor 1
  const base = 1 * 5 * g * g;
  grid[base + cell] = 0; // tx → 0.5
  grid[base + g * g + cell] = 0; // ty → 0.5
  grid[base + 2 * g * g + cell] = 0; // tw → anchor width
  grid[base + 3 * g * g + cell] = 0;
  grid[base + 4 * g * g + cell] = 4; // objectness
  const boxes = decodeYoloGrid(
    grid,
    g,
    416,
    [
      [1, 1],
      [2, 3],
      [1, 1],
      [1, 1],
      [1, 1],
    ],
    0.5,
  );
  assert.equal(boxes.length, 1);
  const b = boxes[0]!;
  assert.ok(
    Math.abs(b.x + b.width / 2 - (4.5 / 13) * 416) < 1e-3 &&
      Math.abs(b.width - (2 / 13) * 416) < 1e-3 &&
      Math.abs(b.height - (3 / 13) * 416) < 1e-3,
  );
  const kept = nonMaxSuppression([b, { ...b, x: b.x + 2, score: 0.5 }, { ...b, x: b.x + 300, score: 0.6 }], 0.4);
  assert.equal(kept.length, 2);
});

test('ONNX writer encodes attributes and large varints deterministically', () => {
  const model = {
    graphName: 'g',
    producer: 'p',
    opset: 13,
    nodes: [
      {
        op: 'Relu',
        inputs: ['x'],
        outputs: ['y'],
        name: 'n',
        attrs: { big: 2 ** 40, f: { float: 0.5 }, s: { str: 'SAME_UPPER' }, ints: [1, -1] },
      },
    ],
    initializers: [],
    inputs: [{ name: 'x', dims: ['N', 3] }],
    outputs: [{ name: 'y', dims: ['N', 3] }],
  };
  const a = encodeOnnx(model);
  assert.deepEqual(a, encodeOnnx(model));
  assert.equal(a[0], 0x08); // field 1 (ir_version), varint
  assert.ok(Buffer.from(a).includes(Buffer.from('SAME_UPPER')));
});

test('bad chip photos are typed errors, never crashes', async () => {
  await assert.rejects(decodeJpeg2000(new Uint8Array(0)), PhotoDecodeError);
  await assert.rejects(decodeJpeg2000(Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 1, 2])), PhotoDecodeError);
  await assert.rejects(decodeJpeg2000(Uint8Array.from([0xff, 0x4f, 0xff, 0x51, 0, 0, 0, 0])), PhotoDecodeError);
});

test.run();
