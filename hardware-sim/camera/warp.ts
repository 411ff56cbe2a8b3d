/**
 * Similarity warps of RGB images (bilinear): the simulator's camera motion. A transform maps
 * source pixels to destination pixels: x' = a·x − b·y + tx, y' = b·x + a·y + ty
 * (a = s·cos θ, b = s·sin θ). Destination pixels that fall outside the source are left as
 * they are (`outside: 'keep'`, to composite over a background) or take the nearest edge
 * pixel (`'edge'`). An optional weight mask blends the warp over what is already there.
 */
import type { RgbImage } from './image.ts';

export interface Similarity {
  readonly a: number;
  readonly b: number;
  readonly tx: number;
  readonly ty: number;
}

/** Scale `s` and rotation `theta` (radians) about source point (cx, cy), landing at (px, py). */
export function similarityAbout(cx: number, cy: number, s: number, theta: number, px: number, py: number): Similarity {
  const a = s * Math.cos(theta);
  const b = s * Math.sin(theta);
  return { a, b, tx: px - (a * cx - b * cy), ty: py - (b * cx + a * cy) };
}

export interface WarpOptions {
  readonly outside: 'keep' | 'edge';
  /** Destination rows/columns to fill: [x0, y0, x1, y1) (default: all). */
  readonly region?: readonly [number, number, number, number];
  /** Per destination pixel weight 0…1 (length width·height). */
  readonly mask?: Float32Array;
}

export function warpInto(src: RgbImage, dst: RgbImage, m: Similarity, opts: WarpOptions): void {
  const det = m.a * m.a + m.b * m.b;
  const ia = m.a / det;
  const ib = m.b / det;
  const [x0, y0, x1, y1] = opts.region ?? [0, 0, dst.width, dst.height];
  const sw = src.width;
  const sh = src.height;
  const s = src.data;
  const d = dst.data;
  const mask = opts.mask;
  const edge = opts.outside === 'edge';
  for (let v = Math.max(0, y0); v < Math.min(dst.height, y1); v++) {
    for (let u = Math.max(0, x0); u < Math.min(dst.width, x1); u++) {
      const w = mask ? (mask[v * dst.width + u] as number) : 1;
      if (w <= 0) continue;
      const du = u - m.tx;
      const dv = v - m.ty;
      let x = ia * du + ib * dv;
      let y = -ib * du + ia * dv;
      if (x < 0 || y < 0 || x > sw - 1 || y > sh - 1) {
        if (!edge) continue;
        x = Math.min(Math.max(x, 0), sw - 1);
        y = Math.min(Math.max(y, 0), sh - 1);
      }
      const xi = Math.min(Math.floor(x), sw - 2);
      const yi = Math.min(Math.floor(y), sh - 2);
      const fx = x - xi;
      const fy = y - yi;
      const p = (yi * sw + xi) * 3;
      const q = p + sw * 3;
      const o = (v * dst.width + u) * 3;
      for (let c = 0; c < 3; c++) {
        const top = (s[p + c] as number) * (1 - fx) + (s[p + 3 + c] as number) * fx;
        const bot = (s[q + c] as number) * (1 - fx) + (s[q + 3 + c] as number) * fx;
        const val = top * (1 - fy) + bot * fy;
        d[o + c] = w >= 1 ? val : (d[o + c] as number) * (1 - w) + val * w;
      }
    }
  }
}
