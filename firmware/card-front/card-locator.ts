/**
 * Finds the card on the scanner tray: the bright card against the dark tray (Otsu), its four
 * edges sampled from the outside in along the middle of each side (so rounded corners and text
 * do not disturb them), a robust straight-line fit per edge, and the corners as intersections.
 * Corners are returned TL, TR, BR, BL in image pixel-edge coordinates.
 */
import type { GreyImage } from './glyph-features.ts';
import type { Point } from './homography.ts';
import { UnreadableCardFrontError } from './errors.ts';
import { otsu } from './otsu.ts';

const RUN = 6;
const ASPECT = 85.6 / 54;

interface Line {
  readonly a: number;
  readonly b: number;
} // u = a·t + b

function fit(points: readonly (readonly [number, number])[]): Line | undefined {
  let pts = points;
  for (let pass = 0; pass < 3; pass++) {
    if (pts.length < 8) return undefined;
    let st = 0,
      su = 0,
      stt = 0,
      stu = 0;
    for (const [t, u] of pts) {
      st += t;
      su += u;
      stt += t * t;
      stu += t * u;
    }
    const n = pts.length;
    const den = n * stt - st * st;
    if (Math.abs(den) < 1e-9) return undefined;
    const a = (n * stu - st * su) / den;
    const b = (su - a * st) / n;
    const res = pts.map(([t, u]) => Math.abs(u - (a * t + b)));
    const med = [...res].sort((x, y) => x - y)[Math.floor(res.length / 2)] as number;
    const keep = pts.filter((_, i) => (res[i] as number) <= Math.max(1.5, 3 * med));
    if (pass === 2 || keep.length === pts.length) return { a, b };
    pts = keep;
  }
  return undefined;
}

export function locateCard(img: GreyImage): [Point, Point, Point, Point] {
  const { width: W, height: H, data } = img;
  if (W < 64 || H < 64 || W > 4096 || H > 4096 || data.length !== W * H)
    throw new UnreadableCardFrontError('bad-image', `image ${W}x${H} with ${data.length} bytes`);
  const T = otsu(data);
  const on = (x: number, y: number): boolean => (data[y * W + x] as number) > T;
  const runAt = (x: number, y: number, dx: number, dy: number): boolean => {
    for (let k = 0; k < RUN; k++) if (!on(x + k * dx, y + k * dy)) return false;
    return true;
  };
  const rowCount = new Int32Array(H);
  const colCount = new Int32Array(W);
  for (let y = 0, i = 0; y < H; y++) {
    for (let x = 0; x < W; x++, i++) {
      if ((data[i] as number) > T) {
        rowCount[y] = (rowCount[y] as number) + 1;
        colCount[x] = (colCount[x] as number) + 1;
      }
    }
  }
  const rows: number[] = [];
  for (let y = 0; y < H; y++) if ((rowCount[y] as number) > 0.25 * W) rows.push(y);
  const cols: number[] = [];
  for (let x = 0; x < W; x++) if ((colCount[x] as number) > 0.25 * H) cols.push(x);
  if (rows.length < 0.2 * H || cols.length < 0.3 * W)
    throw new UnreadableCardFrontError('no-card', 'no card-sized bright area on the tray');
  const y0 = rows[0] as number,
    y1 = rows[rows.length - 1] as number;
  const x0 = cols[0] as number,
    x1 = cols[cols.length - 1] as number;
  const left: [number, number][] = [],
    right: [number, number][] = [],
    top: [number, number][] = [],
    bottom: [number, number][] = [];
  for (let y = Math.round(y0 + 0.22 * (y1 - y0)); y <= y1 - 0.22 * (y1 - y0); y += 2) {
    for (let x = 0; x < W - RUN; x++)
      if (runAt(x, y, 1, 0)) {
        left.push([y, x]);
        break;
      }
    for (let x = W - 1; x >= RUN; x--)
      if (runAt(x, y, -1, 0)) {
        right.push([y, x + 1]);
        break;
      }
  }
  for (let x = Math.round(x0 + 0.2 * (x1 - x0)); x <= x1 - 0.2 * (x1 - x0); x += 2) {
    for (let y = 0; y < H - RUN; y++)
      if (runAt(x, y, 0, 1)) {
        top.push([x, y]);
        break;
      }
    for (let y = H - 1; y >= RUN; y--)
      if (runAt(x, y, 0, -1)) {
        bottom.push([x, y + 1]);
        break;
      }
  }
  // an edge point on the image border is where the card leaves the view: fit the rest
  const inner = (pts: [number, number][], limit: number): [number, number][] | undefined => {
    const kept = pts.filter(([, u]) => u > 0 && u < limit);
    return kept.length >= Math.max(8, 0.5 * pts.length) ? kept : undefined;
  };
  const li = inner(left, W),
    ri = inner(right, W),
    ti = inner(top, H),
    bi = inner(bottom, H);
  if (!li || !ri || !ti || !bi) throw new UnreadableCardFrontError('no-card', 'the card is not wholly on the tray');
  const L = fit(li),
    R = fit(ri),
    Tp = fit(ti),
    B = fit(bi);
  if (!L || !R || !Tp || !B) throw new UnreadableCardFrontError('no-card', 'card edges not found');
  // vertical edges: x = a·y + b; horizontal edges: y = a·x + b
  const meet = (v: Line, h: Line): Point => {
    const y = (h.a * v.b + h.b) / (1 - h.a * v.a);
    return [v.a * y + v.b, y];
  };
  const corners: [Point, Point, Point, Point] = [meet(L, Tp), meet(R, Tp), meet(R, B), meet(L, B)];
  const d = (p: Point, q: Point): number => Math.hypot(p[0] - q[0], p[1] - q[1]);
  const w = (d(corners[0], corners[1]) + d(corners[3], corners[2])) / 2;
  const h = (d(corners[0], corners[3]) + d(corners[1], corners[2])) / 2;
  if (Math.abs(w / h / ASPECT - 1) > 0.12 || w < 0.3 * W)
    throw new UnreadableCardFrontError('no-card', `found a ${w.toFixed(0)}x${h.toFixed(0)} px shape, not a card`);
  return corners;
}
