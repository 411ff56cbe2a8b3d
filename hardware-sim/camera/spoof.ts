/**
 * Presentation attacks for the liveness check:
 * - `StillPhotoRenderer`: a photo held perfectly still: the same picture every frame, only
 *   sensor noise and a faint light flicker change.
 * - `MovedPhotoRenderer`: a photo moved by hand: ONE similarity transform per frame applied to
 *   the whole picture (face and its own background move together, nothing moves inside it, the
 *   eyes never close), over a still room; presented bare (fills the view), as a paper print
 *   (white border) or on a phone (black bezel, screen glare).
 */
import type { FrameRenderer } from './clocked-frame-source.ts';
import { NoiseTable, seededRandom, type RgbImage } from './image.ts';
import { SmoothPath } from './motion.ts';
import { similarityAbout, warpInto } from './warp.ts';

export interface SpoofOptions {
  readonly photo: RgbImage;
  readonly width?: number;
  readonly height?: number;
  readonly fps?: number;
  readonly seed?: number;
  readonly noise?: number;
}

function coverInto(photo: RgbImage, width: number, height: number): RgbImage {
  const out = { width, height, data: new Uint8Array(width * height * 3) };
  const s = Math.max(width / photo.width, height / photo.height);
  warpInto(photo, out, similarityAbout(photo.width / 2, photo.height / 2, s, 0, width / 2, height / 2), { outside: 'edge' });
  return out;
}

export class StillPhotoRenderer implements FrameRenderer {
  readonly width: number;
  readonly height: number;
  readonly length = Infinity;
  readonly #scene: RgbImage;
  readonly #noise: NoiseTable;
  readonly #rand: () => number;

  constructor(readonly o: SpoofOptions) {
    this.width = o.width ?? 640;
    this.height = o.height ?? 480;
    this.#rand = seededRandom(o.seed ?? 7);
    this.#scene = coverInto(o.photo, this.width, this.height);
    this.#noise = new NoiseTable(this.#rand);
  }

  render(_index: number, out: Uint8Array): void {
    out.set(this.#scene.data);
    this.#noise.apply(out, this.o.noise ?? 2.5, 1 + (this.#rand() - 0.5) * 0.01);
  }
}

export type Presentation = 'bare' | 'paper' | 'phone';

export interface MovedPhotoOptions extends SpoofOptions {
  readonly presentation?: Presentation;
  /** Peak roll in degrees (default 4). */
  readonly rollDeg?: number;
}

/** A plain room: a wall gradient, a door frame and a shelf, so the background has structure. */
export function room(width: number, height: number): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 3;
      let v = 170 - (60 * y) / height;
      if (x > width * 0.78 && x < width * 0.82) v = 95;
      if (y > height * 0.7 && y < height * 0.73 && x < width * 0.5) v = 80;
      data[o] = v;
      data[o + 1] = v * 0.96;
      data[o + 2] = v * 0.9;
    }
  }
  return { width, height, data };
}

/** The photo as it is held up: with a white paper border or inside a phone with glare. */
export function mount(photo: RgbImage, presentation: Presentation): RgbImage {
  if (presentation === 'bare') return photo;
  const border = Math.round(Math.max(photo.width, photo.height) * (presentation === 'paper' ? 0.06 : 0.05));
  const w = photo.width + 2 * border;
  const h = photo.height + 2 * border + (presentation === 'phone' ? 3 * border : 0);
  const data = new Uint8Array(w * h * 3).fill(presentation === 'paper' ? 238 : 18);
  const top = presentation === 'phone' ? 2 * border : border;
  for (let y = 0; y < photo.height; y++) {
    for (let x = 0; x < photo.width; x++) {
      const s = (y * photo.width + x) * 3;
      const d = ((y + top) * w + x + border) * 3;
      const glare = presentation === 'phone' ? Math.max(0, 1 - Math.abs((x - y * 0.6) / photo.width - 0.3) * 6) * 60 : 0;
      for (let c = 0; c < 3; c++) data[d + c] = Math.min(255, (photo.data[s + c] as number) + glare);
    }
  }
  return { width: w, height: h, data };
}

export class MovedPhotoRenderer implements FrameRenderer {
  readonly width: number;
  readonly height: number;
  readonly length = Infinity;
  readonly fps: number;
  readonly #room: RgbImage;
  readonly #held: RgbImage;
  readonly #s0: number;
  readonly #noise: NoiseTable;
  readonly #paths: { dx: SmoothPath; dy: SmoothPath; ds: SmoothPath; rot: SmoothPath };

  constructor(readonly o: MovedPhotoOptions) {
    this.width = o.width ?? 640;
    this.height = o.height ?? 480;
    this.fps = o.fps ?? 30;
    const rand = seededRandom(o.seed ?? 11);
    const presentation = o.presentation ?? 'bare';
    this.#room = room(this.width, this.height);
    this.#held = mount(o.photo, presentation);
    const fill = presentation === 'bare' ? 1.05 : 0.85;
    this.#s0 =
      presentation === 'bare'
        ? fill * Math.max(this.width / this.#held.width, this.height / this.#held.height)
        : fill * Math.min(this.width / this.#held.width, this.height / this.#held.height);
    this.#noise = new NoiseTable(rand);
    this.#paths = {
      dx: new SmoothPath(rand, 0.04 * this.width, 0.35),
      dy: new SmoothPath(rand, 0.03 * this.height, 0.3),
      ds: new SmoothPath(rand, 0.04, 0.25),
      rot: new SmoothPath(rand, ((o.rollDeg ?? 4) * Math.PI) / 180, 0.3),
    };
  }

  /** The transform of frame `index` (photo pixels → frame pixels). */
  transformAt(index: number): ReturnType<typeof similarityAbout> {
    const t = index / this.fps;
    const p = this.#paths;
    return similarityAbout(
      this.#held.width / 2,
      this.#held.height / 2,
      this.#s0 * (1 + p.ds.at(t)),
      p.rot.at(t),
      this.width / 2 + p.dx.at(t),
      this.height / 2 + p.dy.at(t),
    );
  }

  render(index: number, out: Uint8Array): void {
    out.set(this.#room.data);
    warpInto(this.#held, { width: this.width, height: this.height, data: out }, this.transformAt(index), { outside: 'keep' });
    this.#noise.apply(out, this.o.noise ?? 2.5);
  }
}
