/**
 * Blinks for the live-face simulator: when they happen (one per 3-second slot at a seeded
 * offset, 3–5 frames long at 30 fps) and what a closing lid looks like on a still photo
 * (the eye ellipse covered from the top by shaded skin colour sampled under the eye, with a
 * dark lash line at the lid edge, closing down to the lower third of the eye).
 */
import type { RgbImage } from './image.ts';

const PROFILES: readonly (readonly number[])[] = [
  [0.6, 1, 0.5],
  [0.5, 1, 1, 0.5],
  [0.4, 0.9, 1, 0.8, 0.3],
];

function hash(seed: number, k: number): number {
  let h = (seed ^ Math.imul(k + 0x9e3779b9, 0x85ebca6b)) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
}

/** Lid closure 0 (open) … 1 (closed) at frame `index`; random access, seeded. */
export function blinkLevel(index: number, fps: number, seed: number, periodSec = 3): number {
  const period = Math.round(periodSec * fps);
  const slot = Math.floor(index / period);
  const profile = PROFILES[Math.floor(hash(seed, slot * 2 + 1) * PROFILES.length)] as readonly number[];
  const start = slot * period + Math.floor(hash(seed, slot * 2) * (period - profile.length - 1));
  const k = index - start;
  return k >= 0 && k < profile.length ? (profile[k] as number) : 0;
}

/** A copy of `face` with both eyes closed to `level` (0…1). */
export function closeEyes(face: RgbImage, eyes: readonly (readonly [number, number])[], level: number): RgbImage {
  const out = new Uint8Array(face.data);
  if (level <= 0 || eyes.length < 2) return { ...face, data: out };
  const [l, r] = eyes as [readonly [number, number], readonly [number, number]];
  const dist = Math.hypot(r[0] - l[0], r[1] - l[1]);
  const rx = 0.3 * dist;
  const ry = 0.17 * dist;
  for (const [ex, ey] of eyes) {
    const skin = meanColour(face, ex, ey + 0.4 * dist, 0.12 * dist);
    const lidEdge = -1.1 + 1.5 * level; // normalised y of the lid edge: closes down to 0.4
    for (let y = Math.floor(ey - ry - 2); y <= Math.ceil(ey + ry + 2); y++) {
      for (let x = Math.floor(ex - rx - 2); x <= Math.ceil(ex + rx + 2); x++) {
        if (x < 0 || y < 0 || x >= face.width || y >= face.height) continue;
        const nx = (x - ex) / rx;
        const ny = (y - ey) / ry;
        const rr = Math.hypot(nx, ny);
        if (rr >= 1.15) continue;
        const feather = rr <= 0.85 ? 1 : (1.15 - rr) / 0.3;
        const covered = Math.min(1, Math.max(0, (lidEdge - ny) * 4 + 0.5));
        const lash = Math.max(0, 1 - Math.abs(ny - lidEdge) / 0.2) * 0.6 * Math.max(0, 1 - Math.abs(nx) * 0.8);
        const shade = 0.86 + 0.1 * Math.min(1, Math.max(0, (ny + 1) / 1.4)); // the lid is rounder: darker at the crease
        const o = (y * face.width + x) * 3;
        for (let c = 0; c < 3; c++) {
          const orig = face.data[o + c] as number;
          let v = orig * (1 - covered) + ((skin[c] as number) * shade * 0.85 + orig * 0.15) * covered;
          v *= 1 - lash;
          out[o + c] = Math.round(orig * (1 - feather) + v * feather);
        }
      }
    }
  }
  return { ...face, data: out };
}

function meanColour(img: RgbImage, cx: number, cy: number, r: number): [number, number, number] {
  const sum = [0, 0, 0];
  let n = 0;
  for (let y = Math.round(cy - r); y <= Math.round(cy + r); y++) {
    for (let x = Math.round(cx - r); x <= Math.round(cx + r); x++) {
      if (x < 0 || y < 0 || x >= img.width || y >= img.height) continue;
      const o = (y * img.width + x) * 3;
      for (let c = 0; c < 3; c++) sum[c] = (sum[c] as number) + (img.data[o + c] as number);
      n++;
    }
  }
  return n ? [(sum[0] as number) / n, (sum[1] as number) / n, (sum[2] as number) / n] : [128, 110, 100];
}
