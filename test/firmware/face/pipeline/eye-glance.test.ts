/**
 * The glance at a skipped frame's eyes: on a drawn face, eyes shut by the simulator's lid model
 * (hardware-sim/camera/blink.ts, written apart from the glance) read well above the same eyes open,
 * in colour and in grey, turned by the face's roll; landmarks reaching off the frame give nothing.
 */
import assert from 'node:assert/strict';
import { test } from 'uvu';
import { glanceEyes } from '../../../../firmware/face/pipeline/eye-glance.ts';
import type { Point } from '../../../../firmware/face/pipeline/geometry.ts';
import type { Raster } from '../../../../firmware/face/pipeline/raster.ts';
import { closeEyes } from '../../../../hardware-sim/camera/blink.ts';

const W = 200;
const H = 220;
const EYES: readonly [Point, Point] = [
  [70, 90],
  [130, 90],
];

/** Skin with dark almond eyes (iris and white as a grey-brown mean) and a mouth. */
function face(): { width: number; height: number; data: Uint8Array } {
  const data = new Uint8Array(W * H * 3);
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      const o = (y * W + x) * 3;
      const eye = EYES.some(([ex, ey]) => ((x - ex) / 16) ** 2 + ((y - ey) / 8) ** 2 <= 1);
      const [r, g, b] = eye ? [70, 55, 50] : [205, 160, 140];
      data[o] = r;
      data[o + 1] = g;
      data[o + 2] = b;
    }
  return { width: W, height: H, data };
}

/** 68 points: eye corners (36, 39, 42, 45) and contour around the eyes, mouth (48–54) below, rotated by `roll` about the centre. */
function landmarks(roll = 0, dx = 0): Point[] {
  const pts: Point[] = Array.from({ length: 68 }, () => [100, 120] as const);
  const eye = (first: number, [ex, ey]: Point): void => {
    const ring: Point[] = [
      [ex - 18, ey],
      [ex - 6, ey - 7],
      [ex + 6, ey - 7],
      [ex + 18, ey],
      [ex + 6, ey + 7],
      [ex - 6, ey + 7],
    ];
    ring.forEach((p, i) => (pts[first + i] = p));
  };
  eye(36, EYES[0]);
  eye(42, EYES[1]);
  for (let i = 48; i <= 54; i++) pts[i] = [80 + ((i - 48) * 40) / 6, 160];
  const [c, s] = [Math.cos(roll), Math.sin(roll)];
  return pts.map(([x, y]) => [100 + dx + c * (x - 100) - s * (y - 120), 120 + s * (x - 100) + c * (y - 120)] as const);
}

const rgb = (img: { width: number; height: number; data: Uint8Array }): Raster => ({ ...img, channels: 3 });
const grey = (img: { width: number; height: number; data: Uint8Array }): Raster => {
  const out = new Uint8Array(img.width * img.height);
  for (let i = 0; i < out.length; i++)
    out[i] = Math.round(0.299 * img.data[i * 3]! + 0.587 * img.data[i * 3 + 1]! + 0.114 * img.data[i * 3 + 2]!);
  return { width: img.width, height: img.height, channels: 1, data: out };
};

test('eyes shut read brighter against the cheeks than eyes open, in colour and in grey', () => {
  const open = face();
  const shut = closeEyes(open, EYES, 1);
  for (const as of [rgb, grey]) {
    const o = glanceEyes(as(open), landmarks());
    const c = glanceEyes(as(shut), landmarks());
    assert.ok(o !== undefined && c !== undefined);
    assert.ok(o < 0.8, `open ${o}`);
    assert.ok(c - o > 0.15, `open ${o}, shut ${c}`);
  }
});

test('a face rolled 20° is read along its own eye axis', () => {
  const roll = (20 * Math.PI) / 180;
  const turn = (img: { width: number; height: number; data: Uint8Array }): Raster => {
    const out = new Uint8Array(img.data.length);
    const [c, s] = [Math.cos(-roll), Math.sin(-roll)];
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++) {
        const sx = Math.round(100 + c * (x - 100) - s * (y - 120));
        const sy = Math.round(120 + s * (x - 100) + c * (y - 120));
        const o = (y * W + x) * 3;
        const i = (Math.min(H - 1, Math.max(0, sy)) * W + Math.min(W - 1, Math.max(0, sx))) * 3;
        out.set(img.data.subarray(i, i + 3), o);
      }
    return { width: W, height: H, channels: 3, data: out };
  };
  const open = glanceEyes(turn(face()), landmarks(roll));
  const shut = glanceEyes(turn(closeEyes(face(), EYES, 1)), landmarks(roll));
  assert.ok(open !== undefined && shut !== undefined && shut - open > 0.15, `open ${open}, shut ${shut}`);
});

test('landmarks reaching off the frame, or too few, give no glance', () => {
  assert.equal(glanceEyes(rgb(face()), landmarks(0, -95)), undefined);
  assert.equal(glanceEyes(rgb(face()), landmarks().slice(0, 60)), undefined);
});

test.run();
