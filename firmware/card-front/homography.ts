/**
 * Plane-to-plane projective maps (3×3 homographies) from four point pairs, for rectifying
 * the card front seen at an angle. Solved by Gaussian elimination with partial pivoting;
 * degenerate quadrilaterals (three points in a line) are reported, never divided through.
 */
import { KaoreaderError } from '../core/errors.ts';

export type Point = readonly [number, number];
/** Row-major h11..h33 with h33 = 1. */
export type Homography = readonly [number, number, number, number, number, number, number, number, number];

export class DegenerateQuadError extends KaoreaderError {
  readonly code = 'DEGENERATE_QUAD';
}

/** The homography H with H·from[i] ∝ to[i] for the four pairs. */
export function homographyFrom(from: readonly Point[], to: readonly Point[]): Homography {
  if (from.length !== 4 || to.length !== 4) throw new DegenerateQuadError('a homography needs exactly four point pairs');
  const a: number[][] = [];
  for (let i = 0; i < 4; i++) {
    const [x, y] = from[i] as Point;
    const [u, v] = to[i] as Point;
    a.push([x, y, 1, 0, 0, 0, -u * x, -u * y, u]);
    a.push([0, 0, 0, x, y, 1, -v * x, -v * y, v]);
  }
  const n = 8;
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs((a[r] as number[])[c] as number) > Math.abs((a[p] as number[])[c] as number)) p = r;
    const pivotRow = a[p] as number[];
    if (Math.abs(pivotRow[c] as number) < 1e-9) throw new DegenerateQuadError('the four points do not span a quadrilateral');
    [a[c], a[p]] = [pivotRow, a[c] as number[]];
    const row = a[c] as number[];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const other = a[r] as number[];
      const f = (other[c] as number) / (row[c] as number);
      if (f === 0) continue;
      for (let k = c; k <= n; k++) other[k] = (other[k] as number) - f * (row[k] as number);
    }
  }
  const h = a.map((row, i) => (row[n] as number) / (row[i] as number));
  return [h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7], 1] as unknown as Homography;
}

export function apply(h: Homography, x: number, y: number): [number, number] {
  const w = h[6] * x + h[7] * y + h[8];
  return [(h[0] * x + h[1] * y + h[2]) / w, (h[3] * x + h[4] * y + h[5]) / w];
}

export function invert(h: Homography): Homography {
  const [a, b, c, d, e, f, g, k, l] = h;
  const A = e * l - f * k;
  const B = -(d * l - f * g);
  const C = d * k - e * g;
  const det = a * A + b * B + c * C;
  if (Math.abs(det) < 1e-12) throw new DegenerateQuadError('homography is not invertible');
  const m = [A, -(b * l - c * k), b * f - c * e, B, a * l - c * g, -(a * f - c * d), C, -(a * k - b * g), a * e - b * d].map(
    (v) => v / det,
  );
  const s = m[8] as number;
  return m.map((v) => v / s) as unknown as Homography;
}
