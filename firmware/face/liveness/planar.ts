/**
 * Is the motion of a face between two frames explained by one plane moving? A photo (printed
 * or on a screen) moved, tilted or rotated in front of the camera maps every landmark through
 * one homography; a real head turning shows parallax (nose against cheeks) and a blink moves
 * the eyelids alone, both leaving a residual. Coordinates are normalised (centred, scaled to
 * unit RMS radius) before the least-squares DLT for numerical stability.
 */
import type { Point } from '../pipeline/geometry.ts';

function normalise(points: readonly Point[]): { pts: Point[]; scale: number } {
  let mx = 0;
  let my = 0;
  for (const [x, y] of points) {
    mx += x;
    my += y;
  }
  mx /= points.length;
  my /= points.length;
  let r = 0;
  for (const [x, y] of points) r += (x - mx) ** 2 + (y - my) ** 2;
  const scale = Math.sqrt(r / points.length) || 1;
  return { pts: points.map(([x, y]) => [(x - mx) / scale, (y - my) / scale] as Point), scale };
}

/** Solves the n×n system A·x = b in place (partial pivoting); undefined when singular. */
function solve(a: number[][], b: number[]): number[] | undefined {
  const n = b.length;
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r]![c]!) > Math.abs(a[p]![c]!)) p = r;
    if (Math.abs(a[p]![c]!) < 1e-12) return undefined;
    [a[c], a[p]] = [a[p]!, a[c]!];
    [b[c], b[p]] = [b[p]!, b[c]!];
    for (let r = c + 1; r < n; r++) {
      const f = a[r]![c]! / a[c]![c]!;
      for (let k = c; k < n; k++) a[r]![k]! -= f * a[c]![k]!;
      b[r]! -= f * b[c]!;
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = b[r]!;
    for (let k = r + 1; k < n; k++) s -= a[r]![k]! * x[k]!;
    x[r] = s / a[r]![r]!;
  }
  return x;
}

/** Landmarks that move with the skull: jaw line, brows, nose, mouth corners (not eyelids). */
export const RIGID_POINTS: readonly number[] = [...Array.from({ length: 36 }, (_, i) => i), 48, 54];

const pick = (p: readonly Point[], idx: readonly number[]): Point[] => idx.map((i) => p[i]!);

/** RMS residual of the best similarity transform (normalised units). */
export function similarityResidual(from: readonly Point[], to: readonly Point[], idx: readonly number[] = RIGID_POINTS): number {
  const A = normalise(pick(from, idx)).pts;
  const B = normalise(pick(to, idx)).pts;
  let sxx = 0;
  let sxy = 0;
  let ss = 0;
  for (let i = 0; i < A.length; i++) {
    sxx += A[i]![0] * B[i]![0] + A[i]![1] * B[i]![1];
    sxy += A[i]![0] * B[i]![1] - A[i]![1] * B[i]![0];
    ss += A[i]![0] ** 2 + A[i]![1] ** 2;
  }
  const a = sxx / ss;
  const b = sxy / ss;
  let sq = 0;
  for (let i = 0; i < A.length; i++) {
    const [x, y] = A[i]!;
    sq += (a * x - b * y - B[i]![0]) ** 2 + (b * x + a * y - B[i]![1]) ** 2;
  }
  return Math.sqrt(sq / A.length);
}

/**
 * RMS residual of the best homography mapping `from` onto `to`, in units of `to`'s RMS radius
 * (so independent of face size). Infinity when the fit is degenerate.
 */
export function homographyResidual(from: readonly Point[], to: readonly Point[], idx: readonly number[] = RIGID_POINTS): number {
  const A = normalise(pick(from, idx)).pts;
  const B = normalise(pick(to, idx)).pts;
  const ata = Array.from({ length: 8 }, () => new Array<number>(8).fill(0));
  const atb = new Array<number>(8).fill(0);
  const addRow = (row: number[], rhs: number): void => {
    for (let i = 0; i < 8; i++) {
      atb[i]! += row[i]! * rhs;
      for (let j = 0; j < 8; j++) ata[i]![j]! += row[i]! * row[j]!;
    }
  };
  for (let i = 0; i < A.length; i++) {
    const [x, y] = A[i]!;
    const [u, v] = B[i]!;
    addRow([x, y, 1, 0, 0, 0, -u * x, -u * y], u);
    addRow([0, 0, 0, x, y, 1, -v * x, -v * y], v);
  }
  const h = solve(ata, atb);
  if (!h) return Number.POSITIVE_INFINITY;
  let sq = 0;
  for (let i = 0; i < A.length; i++) {
    const [x, y] = A[i]!;
    const w = h[6]! * x + h[7]! * y + 1;
    const u = (h[0]! * x + h[1]! * y + h[2]!) / w;
    const v = (h[3]! * x + h[4]! * y + h[5]!) / w;
    sq += (u - B[i]![0]) ** 2 + (v - B[i]![1]) ** 2;
  }
  return Math.sqrt(sq / A.length);
}

/** Mean landmark displacement between two frames over the inter-ocular distance of `from`. */
export function relativeMotion(from: readonly Point[], to: readonly Point[]): number {
  const iod = Math.hypot(from[45]![0] - from[36]![0], from[45]![1] - from[36]![1]) || 1;
  let d = 0;
  for (let i = 0; i < from.length; i++) d += Math.hypot(to[i]![0] - from[i]![0], to[i]![1] - from[i]![1]);
  return d / from.length / iod;
}
