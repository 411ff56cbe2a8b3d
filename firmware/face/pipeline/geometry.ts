/**
 * Landmark geometry: the 5 alignment points from the 68-point (iBUG) layout, the least-squares
 * similarity transform onto the alignment template (Umeyama, no reflection), its inverse as
 * a sampling map, eye aspect ratio, and a yaw/pitch estimate from landmark proportions.
 */
import type { Affine } from './raster.ts';

export type Point = readonly [number, number];

/** dlib's mean face with 0.25 padding, in a 150 px crop: eyes, nose tip, mouth corners. */
export const DLIB_150_TEMPLATE: readonly Point[] = [
  [47.55, 46.6],
  [100.48, 46.6],
  [74.01, 76.56],
  [50.41, 103.02],
  [97.61, 103.02],
];

/** The mean of `points[from..to]` (inclusive). */
export function mean(points: readonly Point[], from: number, to: number): Point {
  let x = 0;
  let y = 0;
  for (let i = from; i <= to; i++) {
    x += points[i]![0];
    y += points[i]![1];
  }
  const n = to - from + 1;
  return [x / n, y / n];
}

/** Image-left eye centre, image-right eye centre, nose tip, mouth corners (68-point input). */
export function fivePoints(l68: readonly Point[]): Point[] {
  return [mean(l68, 36, 41), mean(l68, 42, 47), l68[30]!, l68[48]!, l68[54]!];
}

/** Similarity (scale·rotation + translation) minimising Σ|T(src) − dst|²; returns [a, -b, tx; b, a, ty] as {a, b, tx, ty}. */
export function fitSimilarity(src: readonly Point[], dst: readonly Point[]): { a: number; b: number; tx: number; ty: number } {
  const n = src.length;
  const ms = mean(src, 0, n - 1);
  const md = mean(dst, 0, n - 1);
  let sxx = 0;
  let sxy = 0;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const px = src[i]![0] - ms[0];
    const py = src[i]![1] - ms[1];
    const qx = dst[i]![0] - md[0];
    const qy = dst[i]![1] - md[1];
    sxx += px * qx + py * qy;
    sxy += px * qy - py * qx;
    ss += px * px + py * py;
  }
  const a = ss > 0 ? sxx / ss : 1;
  const b = ss > 0 ? sxy / ss : 0;
  return { a, b, tx: md[0] - (a * ms[0] - b * ms[1]), ty: md[1] - (b * ms[0] + a * ms[1]) };
}

/** Sampling map (dst → src) for the forward similarity {a, b, tx, ty} (src → dst). */
export function inverseSimilarity(t: { a: number; b: number; tx: number; ty: number }): Affine {
  const det = t.a * t.a + t.b * t.b;
  const ia = t.a / det;
  const ib = -t.b / det;
  return [ia, -ib, -(ia * t.tx - ib * t.ty), ib, ia, -(ib * t.tx + ia * t.ty)];
}

/** Eye aspect ratio of one eye given its six 68-layout points (p1..p6). */
export function eyeAspectRatio(p: readonly Point[], first: number): number {
  const d = (i: number, j: number): number => Math.hypot(p[first + i]![0] - p[first + j]![0], p[first + i]![1] - p[first + j]![1]);
  const horizontal = d(0, 3);
  return horizontal > 0 ? (d(1, 5) + d(2, 4)) / (2 * horizontal) : 0;
}

/** Mean EAR of both eyes. */
export function meanEar(l68: readonly Point[]): number {
  return (eyeAspectRatio(l68, 36) + eyeAspectRatio(l68, 42)) / 2;
}

/**
 * Head pose proxies, dimensionless: yaw = horizontal offset of the nose tip from the eyes'
 * midpoint over the inter-ocular distance (≈0 frontal, ±0.5 near profile); pitch = where the
 * nose tip sits between the eye line and the mouth line (≈0.45 frontal).
 */
export function headPose(l68: readonly Point[]): { yaw: number; pitch: number; roll: number } {
  const [le, re, nose, ml, mr] = fivePoints(l68) as [Point, Point, Point, Point, Point];
  const ex = re[0] - le[0];
  const ey = re[1] - le[1];
  const iod = Math.hypot(ex, ey) || 1;
  const ux = ex / iod;
  const uy = ey / iod;
  const mid: Point = [(le[0] + re[0]) / 2, (le[1] + re[1]) / 2];
  const mouth: Point = [(ml[0] + mr[0]) / 2, (ml[1] + mr[1]) / 2];
  const yaw = ((nose[0] - mid[0]) * ux + (nose[1] - mid[1]) * uy) / iod;
  const eyeToMouth = (mouth[0] - mid[0]) * -uy + (mouth[1] - mid[1]) * ux;
  const eyeToNose = (nose[0] - mid[0]) * -uy + (nose[1] - mid[1]) * ux;
  return { yaw, pitch: eyeToMouth !== 0 ? eyeToNose / eyeToMouth : 0, roll: Math.atan2(ey, ex) };
}
