/**
 * warpToFloat against a reference written apart from it: per output pixel, the source point from
 * the map computed directly (not stepped along the row), a bilinear sample with black outside the
 * image, and — when the map shrinks by more than `averageAbove` — the mean of four such samples at
 * ±¼ step. Turned, shrinking and axis-aligned maps, faces inside the frame and crops that cross
 * its edges, RGB and grey; meanLuma against a plain mean of the sampled grid.
 */
import assert from 'node:assert/strict';
import { test } from 'uvu';
import { warpToFloat } from '../../../../firmware/face/pipeline/image.ts';
import type { Affine, Raster } from '../../../../firmware/face/pipeline/raster.ts';
import { meanLuma } from '../../../../firmware/face/pipeline/luma.ts';

function noise(width: number, height: number, channels: 1 | 3, seed: number): Raster {
  const data = new Uint8Array(width * height * channels);
  let s = seed;
  for (let i = 0; i < data.length; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    data[i] = (s >>> 16) & 255;
  }
  return { width, height, channels, data };
}

function pixel(src: Raster, x: number, y: number, k: number): number {
  if (x < 0 || y < 0 || x >= src.width || y >= src.height) return 0;
  return src.data[(y * src.width + x) * src.channels + (src.channels === 1 ? 0 : k)]!;
}

function bilinear(src: Raster, sx: number, sy: number, k: number): number {
  const x0 = Math.floor(sx);
  const y0 = Math.floor(sy);
  const fx = sx - x0;
  const fy = sy - y0;
  return (
    pixel(src, x0, y0, k) * (1 - fx) * (1 - fy) +
    pixel(src, x0 + 1, y0, k) * fx * (1 - fy) +
    pixel(src, x0, y0 + 1, k) * (1 - fx) * fy +
    pixel(src, x0 + 1, y0 + 1, k) * fx * fy
  );
}

function reference(src: Raster, m: Affine, w: number, h: number, averageAbove: number): Float32Array {
  const [a, b, c, d, e, f] = m;
  const step = Math.hypot(a, d);
  const q = step / 4;
  const out = new Float32Array(w * h * 3);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      for (let k = 0; k < 3; k++) {
        const sx = a * x + b * y + c;
        const sy = d * x + e * y + f;
        const v =
          step > averageAbove && !(b === 0 && d === 0 && a <= averageAbove && e <= averageAbove)
            ? (bilinear(src, sx - q, sy - q, k) +
                bilinear(src, sx + q, sy - q, k) +
                bilinear(src, sx - q, sy + q, k) +
                bilinear(src, sx + q, sy + q, k)) /
              4
            : bilinear(src, sx, sy, k);
        out[(y * w + x) * 3 + k] = v;
      }
  return out;
}

/** Input pixel (u, v) of a `size` square ← the frame point of a square centred at (cx, cy), `side` wide, turned by `angle`. */
function square(cx: number, cy: number, side: number, angle: number, size: number): Affine {
  const s = side / size;
  const co = Math.cos(angle) * s;
  const si = Math.sin(angle) * s;
  const hh = size / 2;
  return [co, -si, cx - co * hh + si * hh, si, co, cy - si * hh - co * hh];
}

const CASES: { name: string; map: Affine; size: number; averageAbove?: number }[] = [
  {
    name: 'followed face on the detector (turned, 2.75× shrink sampled plainly)',
    map: square(330, 250, 440, 0.07, 160),
    size: 160,
    averageAbove: 3,
  },
  { name: 'landmark crop (turned, 2× shrink, four taps mostly one pixel apart)', map: square(330, 250, 230, -0.12, 112), size: 112 },
  {
    name: 'landmark crop of a nearer face (turned, 2.4× shrink, taps one or two pixels apart)',
    map: square(300, 260, 270, 0.15, 112),
    size: 112,
  },
  { name: 'alignment (turned, 1.3×)', map: square(300, 240, 190, 0.3, 150), size: 150 },
  { name: 'crop across the left and top edges, shrinking', map: square(20, 15, 230, 0.2, 112), size: 112 },
  { name: 'crop across the right and bottom edges, plain', map: square(630, 470, 190, -0.25, 150), size: 150 },
  { name: 'crop across the left and top edges, plain', map: square(15, 10, 190, 0.25, 150), size: 150 },
  { name: 'letterbox (axis-aligned)', map: square(320, 320, 640, 0, 416), size: 416 },
  { name: 'enlarging, turned', map: square(100, 100, 60, 0.5, 150), size: 150 },
  { name: 'turned a quarter across the right edge (a row steps along y only)', map: square(600, 240, 190, Math.PI / 2, 150), size: 150 },
  { name: 'turned upside down across the left and bottom edges', map: square(40, 440, 150, Math.PI, 150), size: 150 },
  { name: 'sheared with level rows, across the right and bottom edges', map: [1.2, 0.4, 500, 0, 1.2, 380], size: 150 },
];

for (const channels of [3, 1] as const) {
  const frame = noise(640, 480, channels, 7 + channels);
  for (const c of CASES) {
    test(`warpToFloat (${channels === 3 ? 'RGB' : 'grey'}): ${c.name}`, () => {
      const out = new Float32Array(c.size * c.size * 3).fill(-1);
      warpToFloat(frame, c.map, c.size, c.size, out, c.averageAbove);
      const want = reference(frame, c.map, c.size, c.size, c.averageAbove ?? 1.8);
      let worst = 0;
      let at = -1;
      for (let i = 0; i < want.length; i++) {
        const diff = Math.abs(out[i]! - want[i]!);
        // A NaN (a read outside the source) stays the worst: a later pixel must not hide it.
        if (!(diff <= worst) && !Number.isNaN(worst)) {
          worst = diff;
          at = i;
        }
      }
      assert.ok(
        worst < 1e-3,
        `differs by ${worst} at value ${at} (pixel ${Math.floor(at / 3) % c.size}, ${Math.floor(at / 3 / c.size)}): ${out[at]} vs ${want[at]}`,
      );
    });
  }
}

test('meanLuma: the mean luma of the sampled grid (every step-th pixel), RGB and grey, clamped to the frame', () => {
  for (const channels of [3, 1] as const) {
    const frame = noise(640, 480, channels, 3);
    for (const r of [
      { x: 240.4, y: 160.7, width: 180, height: 181 },
      { x: -100, y: -50, width: 900, height: 700 },
      { x: 600, y: 400, width: 100, height: 100 },
    ]) {
      const x0 = Math.max(0, Math.floor(r.x));
      const y0 = Math.max(0, Math.floor(r.y));
      const x1 = Math.min(640, Math.ceil(r.x + r.width));
      const y1 = Math.min(480, Math.ceil(r.y + r.height));
      const step = Math.max(1, Math.floor(Math.max(x1 - x0, y1 - y0) / 64));
      let sum = 0;
      let n = 0;
      for (let y = y0; y < y1; y += step)
        for (let x = x0; x < x1; x += step) {
          sum +=
            channels === 1
              ? pixel(frame, x, y, 0)
              : 0.299 * pixel(frame, x, y, 0) + 0.587 * pixel(frame, x, y, 1) + 0.114 * pixel(frame, x, y, 2);
          n++;
        }
      const got = meanLuma(frame, r);
      assert.ok(Math.abs(got - sum / n) < 1e-9, `${channels} channels, ${JSON.stringify(r)}: ${got} vs ${sum / n}`);
    }
  }
});

test.run();
