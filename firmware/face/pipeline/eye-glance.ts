/**
 * A glance at the eyes of a camera frame the full pipeline does not analyse: the eye regions' luma
 * over the cheeks' (the statistic face-stats.ts `eyeBrightness` takes on the aligned crop), read on
 * the raw frame at the eye positions (between the corners) of the last landmarks found. Closed lids cover the dark iris
 * and lashes with skin, so the ratio rises towards 1 while the eyes are shut. A few hundred pixels,
 * nearest neighbour: cheap enough for every camera frame on the main thread, even on a Pi, so a
 * blink's duration is known at camera rate when the models only run a few times a second. Valid
 * only while the head stays where those landmarks saw it (actions.ts checks that against the next
 * analysed frame).
 */
import { mean, type Point } from './geometry.ts';
import type { Raster } from './raster.ts';

/** Grid points per region side (eyes: wider than tall, as in face-stats.ts). */
const EYE_GRID: readonly [number, number] = [9, 5];
const CHEEK_GRID: readonly [number, number] = [7, 5];

const midpoint = (a: Point, b: Point): Point => [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];

/**
 * Mean luma over a grid of `n` points in the rectangle [a0, a1] × [b0, b1] (units of the eye
 * distance, along the eye axis `u` and down the face `v`) around `c`; undefined when any falls
 * outside the frame.
 */
function gridLuma(
  frame: Raster,
  c: Point,
  u: Point,
  v: Point,
  [a0, a1]: readonly [number, number],
  [b0, b1]: readonly [number, number],
  [nx, ny]: readonly [number, number],
): number | undefined {
  const { width, height, channels, data } = frame;
  let sum = 0;
  for (let j = 0; j < ny; j++) {
    const b = b0 + ((b1 - b0) * j) / (ny - 1);
    for (let i = 0; i < nx; i++) {
      const a = a0 + ((a1 - a0) * i) / (nx - 1);
      const x = Math.round(c[0] + a * u[0] + b * v[0]);
      const y = Math.round(c[1] + a * u[1] + b * v[1]);
      if (x < 0 || y < 0 || x >= width || y >= height) return undefined;
      const o = (y * width + x) * channels;
      sum += channels === 1 ? data[o]! : 0.299 * data[o]! + 0.587 * data[o + 1]! + 0.114 * data[o + 2]!;
    }
  }
  return sum / (nx * ny);
}

/** Eye-region luma over cheek luma in `frame` at the eyes of `landmarks` (68 points); undefined when off the frame or unmeasurable. */
export function glanceEyes(frame: Raster, landmarks: readonly Point[]): number | undefined {
  if (landmarks.length !== 68) return undefined;
  // Between the eye corners: the lid points move down as the eyes close, the corners stay.
  const le = midpoint(landmarks[36]!, landmarks[39]!);
  const re = midpoint(landmarks[42]!, landmarks[45]!);
  const mouth = mean(landmarks, 48, 54);
  const ex = re[0] - le[0];
  const ey = re[1] - le[1];
  const iod = Math.hypot(ex, ey);
  if (iod < 8) return undefined;
  // The eye axis and the way down the face, both one eye distance long.
  const u: Point = [ex, ey];
  const v: Point = [-ey, ex];
  const mid: Point = [(le[0] + re[0]) / 2, (le[1] + re[1]) / 2];
  const down = ((mouth[0] - mid[0]) * v[0] + (mouth[1] - mid[1]) * v[1]) / (iod * iod);
  const cheekDown = down / 2;
  const eyeL = gridLuma(frame, le, u, v, [-0.25, 0.25], [-0.15, 0.15], EYE_GRID);
  const eyeR = gridLuma(frame, re, u, v, [-0.25, 0.25], [-0.15, 0.15], EYE_GRID);
  const cheekL = gridLuma(frame, le, u, v, [-0.25, 0.125], [cheekDown - 0.125, cheekDown + 0.125], CHEEK_GRID);
  const cheekR = gridLuma(frame, re, u, v, [-0.125, 0.25], [cheekDown - 0.125, cheekDown + 0.125], CHEEK_GRID);
  if (eyeL === undefined || eyeR === undefined || cheekL === undefined || cheekR === undefined) return undefined;
  const cheek = (cheekL + cheekR) / 2;
  return cheek > 1 ? (eyeL + eyeR) / 2 / cheek : undefined;
}
