/** RGB images of the simulator, a seeded random source, and a reusable sensor-noise table. */
export interface RgbImage {
  readonly width: number;
  readonly height: number;
  /** rgb24, row-major, tightly packed. */
  readonly data: Uint8Array;
}

export function blankImage(width: number, height: number, rgb: readonly [number, number, number] = [0, 0, 0]): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < data.length; i += 3) {
    data[i] = rgb[0];
    data[i + 1] = rgb[1];
    data[i + 2] = rgb[2];
  }
  return { width, height, data };
}

/** mulberry32: small, fast, seeded; the simulator is reproducible from its seed. */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function gaussian(rand: () => number): number {
  const u = Math.max(rand(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

const NOISE_LEN = 1 << 16;

/** Unit Gaussian noise, read at a random offset each frame (cheap per-pixel sensor noise). */
export class NoiseTable {
  readonly #table = new Float32Array(NOISE_LEN);
  constructor(readonly rand: () => number) {
    for (let i = 0; i < NOISE_LEN; i++) this.#table[i] = gaussian(rand);
  }

  /** Adds noise of standard deviation `sigma` and multiplies by `gain`, in place, clamped. */
  apply(data: Uint8Array, sigma: number, gain = 1): void {
    const t = this.#table;
    let k = Math.floor(this.rand() * NOISE_LEN);
    const step = 1 + 2 * Math.floor(this.rand() * 64);
    for (let i = 0; i < data.length; i++) {
      const v = (data[i] as number) * gain + (t[k] as number) * sigma;
      data[i] = v < 0 ? 0 : v > 255 ? 255 : v;
      k = (k + step) & (NOISE_LEN - 1);
    }
  }
}
