/**
 * The feature of one glyph for template matching: its ink bounding box resampled to a 16×16
 * grid of mean ink (box-filtered), zero-mean and unit-length, so the dot product of two
 * features is their normalised cross-correlation; plus the box's aspect and height, which
 * the stretch to 16×16 throws away.
 */
export const GRID = 16;

export interface GreyImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

export interface Box {
  readonly x0: number;
  readonly y0: number;
  /** Exclusive. */
  readonly x1: number;
  readonly y1: number;
}

export interface GlyphFeature {
  readonly vec: Float32Array;
  /** width / height of the ink box. */
  readonly aspect: number;
  /** Ink box height in em. */
  readonly height: number;
}

/** `ink(v)` maps a grey value to ink 0…1 (dark text on light card: (paper − v) / contrast). */
export function glyphFeature(img: GreyImage, box: Box, em: number, ink: (v: number) => number): GlyphFeature {
  const w = box.x1 - box.x0;
  const h = box.y1 - box.y0;
  const vec = new Float32Array(GRID * GRID);
  // area sampling: each grid cell averages the pixels it covers (fractional edges ignored for ≥ 1 px cells)
  for (let gy = 0; gy < GRID; gy++) {
    const ya = box.y0 + (gy * h) / GRID;
    const yb = box.y0 + ((gy + 1) * h) / GRID;
    for (let gx = 0; gx < GRID; gx++) {
      const xa = box.x0 + (gx * w) / GRID;
      const xb = box.x0 + ((gx + 1) * w) / GRID;
      let sum = 0;
      let n = 0;
      for (let y = Math.floor(ya); y < Math.max(Math.floor(ya) + 1, Math.ceil(yb)); y++) {
        for (let x = Math.floor(xa); x < Math.max(Math.floor(xa) + 1, Math.ceil(xb)); x++) {
          if (x < 0 || y < 0 || x >= img.width || y >= img.height) continue;
          sum += ink(img.data[y * img.width + x] as number);
          n++;
        }
      }
      vec[gy * GRID + gx] = n ? sum / n : 0;
    }
  }
  let mean = 0;
  for (const v of vec) mean += v;
  mean /= vec.length;
  let norm = 0;
  for (let i = 0; i < vec.length; i++) {
    const v = (vec[i] as number) - mean;
    vec[i] = v;
    norm += v * v;
  }
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < vec.length; i++) vec[i] = (vec[i] as number) / norm;
  return { vec, aspect: w / h, height: h / em };
}

export function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}
