/**
 * The spoof material and the live head it must be told from, checked on what they draw: a head
 * turned shows its nose moving across the eyes by 0.55–0.75 eye distances × tan(yaw), a bent
 * print turned shows a fraction of that; the cut-out print shows the attacker's eyes only through
 * its holes; the phone shows a bezel and moiré; a replay shows the recording's frames in order,
 * looping, and cannot answer.
 */
import assert from 'node:assert/strict';
import { test } from 'uvu';
import { BentPhotoRenderer } from '../../../hardware-sim/camera/bent-photo.ts';
import type { FrameRenderer } from '../../../hardware-sim/camera/clocked-frame-source.ts';
import { CutOutEyesRenderer } from '../../../hardware-sim/camera/cutout-eyes.ts';
import { HeadModel } from '../../../hardware-sim/camera/head-turn.ts';
import { blankImage, type RgbImage } from '../../../hardware-sim/camera/image.ts';
import { ReplayRenderer } from '../../../hardware-sim/camera/replay.ts';
import { ScreenReplayRenderer } from '../../../hardware-sim/camera/screen-replay.ts';
import type { FaceSubject } from '../../../hardware-sim/camera/sim-cameras.ts';

const EYES: [[number, number], [number, number]] = [
  [280, 200],
  [360, 200],
];
const NOSE_Y = 252; // 0.65 × 80 below the eye line

/** The midpoint of the two eye marks (each eye's own centroid: a foreshortened eye has fewer pixels). */
function eyesMid(img: RgbImage, noseX: number, y0: number, y1: number): number {
  return (markX(img, 'green', y0, y1, 0, Math.floor(noseX)) + markX(img, 'green', y0, y1, Math.ceil(noseX), img.width - 1)) / 2;
}

/** A grey "face" with a red mark on the nose tip and green marks on the eyes. */
function marked(width = 640, height = 480): RgbImage {
  const img = blankImage(width, height, [120, 110, 100]);
  const dot = (cx: number, cy: number, rgb: [number, number, number]): void => {
    for (let y = cy - 2; y <= cy + 2; y++) for (let x = cx - 2; x <= cx + 2; x++) img.data.set(rgb, (y * width + x) * 3);
  };
  dot(320, NOSE_Y, [250, 0, 0]);
  for (const [x, y] of EYES) dot(x, y, [0, 250, 0]);
  return img;
}

/** Mean x of the pixels of one colour mark in rows y0..y1 (and columns x0..x1). */
function markX(img: RgbImage, rgb: 'red' | 'green', y0: number, y1: number, x0 = 0, x1 = img.width - 1): number {
  let sum = 0;
  let n = 0;
  for (let y = y0; y <= y1; y++)
    for (let x = x0; x <= x1; x++) {
      const o = (y * img.width + x) * 3;
      const [r, g, b] = [img.data[o]!, img.data[o + 1]!, img.data[o + 2]!];
      if (rgb === 'red' ? r > 180 && g < 80 && b < 80 : g > 180 && r < 80 && b < 80) {
        sum += x;
        n++;
      }
    }
  return n ? sum / n : Number.NaN;
}

test('a head turned by 20°: the nose moves across the eyes by ≈ 0.5 × eye distance × sin(yaw)', () => {
  const img = marked();
  const head = new HeadModel(img.width, img.height, { eyes: EYES });
  const yaw = (20 * Math.PI) / 180;
  const turned = head.turn(img, yaw);
  const noseX = markX(turned, 'red', NOSE_Y - 3, NOSE_Y + 3);
  const shift = (noseX - eyesMid(turned, noseX, 195, 205)) / (80 * Math.cos(yaw));
  // A head: the nose tip stands 0.55–0.7 eye distances in front of the eyes.
  assert.ok(shift > 0.55 * Math.tan(yaw) && shift < 0.75 * Math.tan(yaw), `nose moved ${shift.toFixed(3)} eye distances past the eyes`);
  const back = head.turn(img, -yaw);
  assert.ok(markX(back, 'red', NOSE_Y - 3, NOSE_Y + 3) < 320, 'the other way, the other side');
});

test('a bent print turned by 30° moves its painted nose across the eyes far less than a head does', () => {
  // the marks at the photo's centre column
  const eyes: [[number, number], [number, number]] = [
    [160, 200],
    [240, 200],
  ];
  const clean = blankImage(400, 400, [120, 110, 100]);
  for (const [x, y] of [...eyes, [200, 252] as [number, number]]) {
    for (let yy = y - 2; yy <= y + 2; yy++)
      for (let xx = x - 2; xx <= x + 2; xx++) clean.data.set(x === 200 ? [250, 0, 0] : [0, 250, 0], (yy * 400 + xx) * 3);
  }
  for (const radius of [0.9, 1.5]) {
    const sheet = new BentPhotoRenderer({ photo: clean, eyes, radius, seed: 1 });
    sheet.turnHead(30, 2);
    const out = new Uint8Array(640 * 480 * 3);
    sheet.render(30, out); // the middle of the turn: 30°
    const frame = { width: 640, height: 480, data: out };
    // rows of the marks in the frame: the print is scaled to eyes 80 px apart, centred
    const noseX = markX(frame, 'red', 0, 479);
    const shift = Math.abs(noseX - eyesMid(frame, noseX, 0, 479)) / (80 * Math.cos(Math.PI / 6));
    // Less than half of what a head shows at 30° (≥ 0.55 × tan 30° ≈ 0.32).
    assert.ok(shift < 0.15, `radius ${radius}: painted nose moved ${shift.toFixed(3)} eye distances`);
  }
});

function subject(shade: number): FaceSubject {
  return { faceImage: blankImage(640, 480, [shade, shade, shade]), face: { eyes: EYES } };
}

test('the cut-out print shows the attacker only through its holes', () => {
  const cut = new CutOutEyesRenderer(subject(200), subject(40), { seed: 3 });
  const out = new Uint8Array(640 * 480 * 3);
  cut.render(0, out);
  const at = (x: number, y: number): number => out[(y * 640 + x) * 3]!;
  assert.ok(at(280, 200) < 80, `hole shows the dark attacker (${at(280, 200)})`);
  assert.ok(at(320, 260) > 150, `the print elsewhere (${at(320, 260)})`);
});

test('the phone: a dark bezel round the picture and moiré across it', () => {
  const flat: FrameRenderer = { width: 640, height: 480, length: Infinity, render: (_i, out) => out.fill(160) };
  const phone = new ScreenReplayRenderer(flat, { seed: 2 });
  const out = new Uint8Array(640 * 480 * 3);
  phone.render(0, out);
  // Along a row through the middle of the screen the flat grey comes out banded.
  const row = Array.from({ length: 200 }, (_, i) => out[(240 * 640 + 220 + i) * 3 + 1]!);
  const mean = row.reduce((a, b) => a + b, 0) / row.length;
  const sd = Math.sqrt(row.reduce((a, b) => a + (b - mean) ** 2, 0) / row.length);
  assert.ok(sd > 8, `a flat picture through the screen varies by ${sd.toFixed(1)} grey levels`);
  let dark = 0;
  for (let x = 0; x < 640; x++) if (out[(240 * 640 + x) * 3]! < 30) dark++;
  assert.ok(dark >= 20, `${dark} bezel pixels across the middle row`);
});

test('a replay plays the recording from its start, loops, and cannot answer', () => {
  const asked: number[] = [];
  const recording: FrameRenderer & { fps: number } = {
    width: 4,
    height: 4,
    length: Infinity,
    fps: 30,
    render: (i) => {
      asked.push(i);
    },
  };
  const replay = new ReplayRenderer(recording, { seconds: 1, startSec: 0.5 });
  for (const i of [0, 1, 14, 15, 16, 44]) replay.render(i, new Uint8Array(48));
  assert.deepEqual(asked, [15, 16, 29, 0, 1, 29]);
  replay.blink();
  replay.turnHead();
  replay.render(2, new Uint8Array(48));
  assert.equal(asked.at(-1), 17, 'asked to blink or turn, it plays on');
});

test.run();
