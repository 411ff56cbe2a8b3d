/**
 * A head turning, drawn from one frontal photo: each pixel of the face gets a depth from a rough
 * head shape (anthropometric proportions in units of the distance between the eyes, `iod`), and
 * the face is turned about a vertical axis, seen orthographically. The shape: the face on a
 * cylinder about as wide as a head (radius 1.3 iod), the nose standing out of it (0.5 iod at the
 * tip, 0.65 iod below the eye line, a ridge up to the bridge), the eyes a little sunk. The nose
 * is what makes a turn a head's: it moves across the face by about half the eye distance times
 * tan(yaw), where a photo (flat, or bent round a cylinder) shows a fraction of that.
 */
import type { RgbImage } from './image.ts';

export interface HeadShape {
  /** Eye centres in image pixels, image-left eye first. */
  readonly eyes: readonly [readonly [number, number], readonly [number, number]];
}

const HEAD_RADIUS = 1.3;
const NOSE_TIP_BELOW = 0.65;
const NOSE_HEIGHT = 0.5;
const NOSE_HALF_WIDTH = 0.14;
const EYE_SINK = 0.08;

export class HeadModel {
  readonly #x0: number;
  readonly #y0: number;
  readonly #w: number;
  readonly #h: number;
  /** Depth towards the camera, pixels, over the face region; 0 outside. */
  readonly #depth: Float32Array;
  /** Weight of the turn (1 on the face, falling to 0 at its edge: the room behind does not turn). */
  readonly #weight: Float32Array;
  readonly cx: number;

  constructor(
    readonly width: number,
    readonly height: number,
    shape: HeadShape,
  ) {
    const [[lx, ly], [rx, ry]] = shape.eyes;
    const iod = Math.hypot(rx - lx, ry - ly);
    const mx = (lx + rx) / 2;
    const my = (ly + ry) / 2;
    this.cx = mx;
    const R = HEAD_RADIUS * iod;
    const cy = my + 0.45 * iod;
    const ry2 = 1.7 * R;
    this.#x0 = Math.max(0, Math.floor(mx - R));
    this.#y0 = Math.max(0, Math.floor(cy - ry2));
    this.#w = Math.min(width, Math.ceil(mx + R)) - this.#x0;
    this.#h = Math.min(height, Math.ceil(cy + ry2)) - this.#y0;
    this.#depth = new Float32Array(this.#w * this.#h);
    this.#weight = new Float32Array(this.#w * this.#h);
    const tipY = my + NOSE_TIP_BELOW * iod;
    const bridgeY = my - 0.05 * iod;
    const g = (d: number, s: number): number => Math.exp(-(d * d) / (2 * s * s));
    for (let j = 0; j < this.#h; j++) {
      const y = this.#y0 + j;
      for (let i = 0; i < this.#w; i++) {
        const x = this.#x0 + i;
        const dx = x - mx;
        const e = Math.hypot(dx / R, (y - cy) / ry2);
        if (e >= 1) continue;
        const head = Math.sqrt(Math.max(0, R * R - dx * dx)) - R;
        let ridge: number;
        if (y >= tipY) ridge = g(y - tipY, 0.1 * iod);
        else if (y >= bridgeY) ridge = 0.35 + 0.65 * ((y - bridgeY) / (tipY - bridgeY));
        else ridge = 0.35 * g(y - bridgeY, 0.12 * iod);
        const nose = NOSE_HEIGHT * iod * ridge * g(dx, NOSE_HALF_WIDTH * iod);
        const eyes = -EYE_SINK * iod * (g(Math.hypot(x - lx, y - ly), 0.18 * iod) + g(Math.hypot(x - rx, y - ry), 0.18 * iod));
        const k = j * this.#w + i;
        this.#depth[k] = head + nose + eyes;
        this.#weight[k] = e <= 0.8 ? 1 : (1 - e) / 0.2;
      }
    }
  }

  /**
   * `src` (the frontal face, width × height) with the head turned by `yaw` radians (positive: the
   * nose towards image right). Drawn row by row from the front: each source column lands at
   * cx + (x − cx)·cos + z·sin (blended back to where it was at the face's edge), and of the columns
   * landing on one output pixel the one nearest the camera is seen (the nose hides the far cheek).
   */
  turn(src: RgbImage, yaw: number): RgbImage {
    const out = new Uint8Array(src.data);
    const c = Math.cos(yaw);
    const s = Math.sin(yaw);
    const w = src.width;
    const n = this.#w;
    const land = new Float32Array(n);
    const zbuf = new Float32Array(n);
    for (let j = 0; j < this.#h; j++) {
      const y = this.#y0 + j;
      const row = j * n;
      let any = false;
      for (let i = 0; i < n; i++) {
        const x = this.#x0 + i;
        const wgt = this.#weight[row + i]!;
        if (wgt > 0) any = true;
        land[i] = x + (this.cx + (x - this.cx) * c + this.#depth[row + i]! * s - x) * wgt;
      }
      if (!any) continue;
      zbuf.fill(Number.NEGATIVE_INFINITY);
      for (let i = 0; i + 1 < n; i++) {
        const a = land[i]!;
        const b = land[i + 1]!;
        if (b <= a) continue; // this bit of surface faces away
        const za = this.#depth[row + i]!;
        const zb = this.#depth[row + i + 1]!;
        for (let xo = Math.ceil(a); xo < b; xo++) {
          const k = xo - this.#x0;
          if (k < 0 || k >= n) continue;
          const t = (xo - a) / (b - a);
          const z = za + (zb - za) * t;
          if (z <= zbuf[k]!) continue;
          zbuf[k] = z;
          const p = (y * w + this.#x0 + i) * 3;
          const o = (y * w + xo) * 3;
          for (let ch = 0; ch < 3; ch++) out[o + ch] = src.data[p + ch]! * (1 - t) + src.data[p + 3 + ch]! * t;
        }
      }
    }
    return { width: src.width, height: src.height, data: out };
  }
}
