/**
 * Synthetic camera sequences made from one still face photo, for liveness tests and benches:
 * - `stillSequence`: the same frame again and again (a frozen picture injected or replayed);
 * - `rigidSequence`: the photo moved as a plane (translation, in-plane rotation, scale, a
 *   perspective tilt) with sensor noise: a printed photo or phone held to the camera;
 * - `blinkSequence`: the face with a blink drawn in (eyelids closing over the eyes and opening
 *   again) plus small natural sway and sensor noise: the "real motion" case.
 * Eye positions come from the caller (found by the pipeline on the still).
 */
import type { StillFrame } from './array-frame-source.ts';

export interface Rgb {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}
export type Eye = { readonly cx: number; readonly cy: number; readonly w: number; readonly h: number };

/** Deterministic noise (LCG), so sequences are repeatable. */
function noiseGen(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
}

/** dst(x,y) = src(H⁻¹·(x,y)) with H⁻¹ given as a 3×3 row-major homography; bilinear. */
function warp(src: Rgb, inv: readonly number[], noise: () => number, amplitude: number): Uint8Array {
  const { width: w, height: h, data } = src;
  const out = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const z = inv[6]! * x + inv[7]! * y + inv[8]!;
      const sx = (inv[0]! * x + inv[1]! * y + inv[2]!) / z;
      const sy = (inv[3]! * x + inv[4]! * y + inv[5]!) / z;
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const o = (y * w + x) * 3;
      const n = noise() * amplitude;
      if (x0 < 0 || y0 < 0 || x0 + 1 >= w || y0 + 1 >= h) {
        out[o] = out[o + 1] = out[o + 2] = 40;
        continue;
      }
      const fx = sx - x0;
      const fy = sy - y0;
      const i00 = (y0 * w + x0) * 3;
      const i01 = i00 + w * 3;
      for (let k = 0; k < 3; k++) {
        const v =
          (data[i00 + k]! * (1 - fx) + data[i00 + 3 + k]! * fx) * (1 - fy) + (data[i01 + k]! * (1 - fx) + data[i01 + 3 + k]! * fx) * fy;
        out[o + k] = Math.max(0, Math.min(255, Math.round(v + n)));
      }
    }
  }
  return out;
}

function similarityAbout(cx: number, cy: number, angle: number, scale: number, tx: number, ty: number, tiltX = 0): number[] {
  // Forward: p' = S·R·(p − c) + c + t, plus a projective term; returned inverted for sampling.
  const c = Math.cos(angle) * scale;
  const s = Math.sin(angle) * scale;
  const m = [c, -s, cx + tx - c * cx + s * cy, s, c, cy + ty - s * cx - c * cy, tiltX, 0, 1 - tiltX * cx];
  return invert3(m);
}

function invert3(m: readonly number[]): number[] {
  const [a, b, c, d, e, f, g, h, i] = m as [number, number, number, number, number, number, number, number, number];
  const A = e * i - f * h;
  const B = -(d * i - f * g);
  const C = d * h - e * g;
  const det = a * A + b * B + c * C;
  return [
    A / det,
    -(b * i - c * h) / det,
    (b * f - c * e) / det,
    B / det,
    (a * i - c * g) / det,
    -(a * f - c * d) / det,
    C / det,
    -(a * h - b * g) / det,
    (a * e - b * d) / det,
  ];
}

const frame = (src: Rgb, data: Uint8Array): StillFrame => ({ width: src.width, height: src.height, format: 'rgb24', data });

export function stillSequence(src: Rgb, count: number): StillFrame[] {
  return Array.from({ length: count }, () => frame(src, src.data));
}

/** The photo swept as a plane over `count` frames. */
export function rigidSequence(src: Rgb, count: number, seed = 1): StillFrame[] {
  const noise = noiseGen(seed);
  const cx = src.width / 2;
  const cy = src.height / 2;
  return Array.from({ length: count }, (_, i) => {
    const t = i / Math.max(1, count - 1);
    const inv = similarityAbout(
      cx,
      cy,
      0.12 * Math.sin(t * Math.PI * 2),
      1 + 0.08 * t,
      25 * Math.sin(t * Math.PI),
      12 * t,
      0.00025 * Math.sin(t * Math.PI * 2),
    );
    return frame(src, warp(src, inv, noise, 6));
  });
}

/**
 * Closes each eye by `closure` (0 open … 1 shut): the upper lid (skin taken from just under
 * the eye) slides down, its edge drawn as a dark lash line; the rest of the eye is squeezed.
 */
function closeEyes(src: Uint8Array, width: number, height: number, eyes: readonly Eye[], closure: number): Uint8Array {
  const out = src.slice();
  const px = (x: number, y: number, k: number): number =>
    src[(Math.min(height - 1, Math.max(0, y)) * width + Math.min(width - 1, Math.max(0, x))) * 3 + k]!;
  for (const e of eyes) {
    const top = Math.round(e.cy - e.h / 2);
    const bottom = Math.round(e.cy + e.h / 2);
    const lid = top + Math.round((bottom - top) * closure);
    const x0 = Math.max(0, Math.round(e.cx - e.w / 2));
    const x1 = Math.min(width, Math.round(e.cx + e.w / 2));
    for (let y = Math.max(0, top); y < Math.min(height, bottom); y++) {
      for (let x = x0; x < x1; x++) {
        // Feather the patch edges so no hard rectangle appears.
        const edge = Math.min(x - x0, x1 - 1 - x, y - top, bottom - 1 - y);
        const alpha = Math.min(1, (edge + 1) / 4);
        const dx = (x - e.cx) / (e.w / 2);
        const lidY = lid + Math.round((e.h / 5) * dx * dx * closure); // the lid edge curves up at the corners
        for (let k = 0; k < 3; k++) {
          let v: number;
          if (y < lidY - 1) v = px(x, bottom + 2 + Math.round((y - top) * 0.3), k);
          else if (y <= lidY + 1) v = px(x, bottom + 3, k) * 0.35;
          else v = px(x, Math.round(bottom - (bottom - y) * ((bottom - top) / Math.max(1, bottom - lidY))), k);
          const o = (y * width + x) * 3 + k;
          out[o] = Math.round(src[o]! * (1 - alpha) + v * alpha);
        }
      }
    }
  }
  return out;
}

/** A face that sways slightly and blinks once (frames blinkAt … blinkAt+5). */
export function blinkSequence(src: Rgb, eyes: readonly Eye[], count: number, blinkAt: number, seed = 2): StillFrame[] {
  const noise = noiseGen(seed);
  const profile = [0.45, 0.9, 1, 1, 0.6, 0.25];
  return Array.from({ length: count }, (_, i) => {
    const k = i - blinkAt;
    const closure = k >= 0 && k < profile.length ? profile[k]! : 0;
    const base = closure > 0 ? closeEyes(src.data, src.width, src.height, eyes, closure) : src.data;
    const inv = similarityAbout(src.width / 2, src.height / 2, 0.01 * Math.sin(i / 7), 1, 1.5 * Math.sin(i / 5), 1.0 * Math.cos(i / 6));
    return frame(src, warp({ ...src, data: base }, inv, noise, 4));
  });
}

/** Eye boxes for blinkSequence from 68 landmarks (points 36–41 and 42–47). */
export function eyesFromLandmarks(l68: readonly (readonly [number, number])[]): Eye[] {
  return [36, 42].map((from) => {
    const pts = l68.slice(from, from + 6);
    const xs = pts.map((p) => p[0]);
    const ys = pts.map((p) => p[1]);
    const w = Math.max(...xs) - Math.min(...xs);
    return { cx: (Math.max(...xs) + Math.min(...xs)) / 2, cy: (Math.max(...ys) + Math.min(...ys)) / 2, w: w * 1.9, h: w * 0.9 };
  });
}
