/**
 * A live person in front of the camera, generated from one still: the face moves a little
 * (smooth translation, scale and roll jitter) while the room behind stays still, the light
 * drifts, the sensor adds noise, and the eyes blink every few seconds (3–5 frames). On request
 * (an active liveness challenge) the person blinks (deliberately: longer) or turns the head: a turn is drawn on a
 * rough head shape with the nose standing out (head-turn.ts), so the nose moves across the face as a
 * head's does while the far cheek narrows. Frame n is the scene at n / fps seconds; everything is seeded.
 */
import type { FrameRenderer } from './clocked-frame-source.ts';
import { blinkLevel, closeEyes } from './blink.ts';
import { NoiseTable, seededRandom, type RgbImage } from './image.ts';
import { SmoothPath } from './motion.ts';
import { similarityAbout, warpInto } from './warp.ts';
import { HeadModel } from './head-turn.ts';
import { TurnSchedule } from './turn-schedule.ts';

export interface LiveFaceOptions {
  readonly face: RgbImage;
  /** Eye centres in face pixels (image-left eye first). */
  readonly eyes: readonly [readonly [number, number], readonly [number, number]];
  readonly width?: number;
  readonly height?: number;
  readonly fps?: number;
  readonly seed?: number;
  /** Sensor noise standard deviation (grey levels). */
  readonly noise?: number;
  /** Mean seconds between blinks (one per slot of this length). */
  readonly blinkPeriodSec?: number;
}

const LEVELS = [0, 0.35, 0.7, 1];
const MAX_EVENTS = 16;

export class LiveFaceRenderer implements FrameRenderer {
  readonly width: number;
  readonly height: number;
  readonly length = Infinity;
  readonly fps: number;
  readonly #seed: number;
  readonly #background: RgbImage;
  readonly #mask: Float32Array;
  readonly #region: [number, number, number, number];
  readonly #levels: RgbImage[];
  readonly #noise: NoiseTable;
  readonly #paths: { dx: SmoothPath; dy: SmoothPath; ds: SmoothPath; rot: SmoothPath; light: SmoothPath };
  readonly #s0: number;
  readonly #noiseSigma: number;
  readonly #blinkPeriod: number;
  readonly #turns = new TurnSchedule(MAX_EVENTS);
  readonly #blinks: { readonly start: number; readonly frames: number }[] = [];
  readonly #head: HeadModel;

  constructor(readonly o: LiveFaceOptions) {
    this.width = o.width ?? 640;
    this.height = o.height ?? 480;
    this.fps = o.fps ?? 30;
    this.#seed = o.seed ?? 1;
    this.#noiseSigma = o.noise ?? 2.5;
    this.#blinkPeriod = o.blinkPeriodSec ?? 3;
    const rand = seededRandom(this.#seed);
    const { face } = o;
    this.#s0 = Math.max(this.width / face.width, this.height / face.height);
    this.#background = { width: this.width, height: this.height, data: new Uint8Array(this.width * this.height * 3) };
    warpInto(face, this.#background, similarityAbout(face.width / 2, face.height / 2, this.#s0, 0, this.width / 2, this.height / 2), {
      outside: 'edge',
    });
    this.#levels = LEVELS.map((l) => closeEyes(face, o.eyes, l));
    this.#head = new HeadModel(face.width, face.height, { eyes: o.eyes });
    this.#noise = new NoiseTable(rand);
    const eyeDist = Math.hypot(o.eyes[1][0] - o.eyes[0][0], o.eyes[1][1] - o.eyes[0][1]) * this.#s0;
    this.#paths = {
      dx: new SmoothPath(rand, 0.06 * eyeDist, 0.4),
      dy: new SmoothPath(rand, 0.05 * eyeDist, 0.35),
      ds: new SmoothPath(rand, 0.02, 0.3),
      rot: new SmoothPath(rand, (1.5 * Math.PI) / 180, 0.3),
      light: new SmoothPath(rand, 0.06, 0.15),
    };
    // the moving part: an ellipse around the face (eyes to chin), feathered into the still room
    const toOut = (x: number, y: number): [number, number] => [
      (x - face.width / 2) * this.#s0 + this.width / 2,
      (y - face.height / 2) * this.#s0 + this.height / 2,
    ];
    const [cx, cy] = toOut((o.eyes[0][0] + o.eyes[1][0]) / 2, (o.eyes[0][1] + o.eyes[1][1]) / 2 + (0.45 * eyeDist) / this.#s0);
    const rx = 1.5 * eyeDist;
    const ry = 2.0 * eyeDist;
    this.#region = [Math.floor(cx - rx), Math.floor(cy - ry), Math.ceil(cx + rx), Math.ceil(cy + ry)];
    this.#mask = new Float32Array(this.width * this.height);
    for (let y = Math.max(0, this.#region[1]); y < Math.min(this.height, this.#region[3]); y++) {
      for (let x = Math.max(0, this.#region[0]); x < Math.min(this.width, this.#region[2]); x++) {
        const r = Math.hypot((x - cx) / rx, (y - cy) / ry);
        this.#mask[y * this.width + x] = r <= 0.75 ? 1 : Math.max(0, (1 - r) / 0.25);
      }
    }
  }

  /** Lid closure at frame `index` (0 open … 1 closed): what the frame shows. */
  blinkAt(index: number): number {
    let level = blinkLevel(index, this.fps, this.#seed, this.#blinkPeriod);
    for (const b of this.#blinks) {
      const k = index - Math.round(b.start * this.fps);
      // the lid needs a frame to close and one to open again; closed in between
      if (k >= 0 && k < b.frames) level = Math.max(level, k === 0 || k === b.frames - 1 ? 0.5 : 1);
    }
    return level;
  }

  /** Head yaw in radians at frame `index` (positive: the face turns towards image right). */
  yawAt(index: number): number {
    return this.#turns.yawAt(index / this.fps);
  }

  /** The person turns the head by `yawDeg` and back, starting at `atSec`, over `durationSec`. */
  scheduleTurn(atSec: number, yawDeg: number, durationSec = 1.5): void {
    this.#turns.add(atSec, Math.max(-45, Math.min(45, yawDeg)), Math.max(0.2, durationSec));
  }

  /**
   * An extra blink starting at `atSec`, lasting `durationSec` (at least 4 frames). A blink on
   * request is deliberate and slower than a spontaneous one: 0.25–0.4 s.
   */
  scheduleBlink(atSec: number, durationSec = 4 / this.fps): void {
    this.#blinks.push({ start: atSec, frames: Math.max(4, Math.round(durationSec * this.fps)) });
    if (this.#blinks.length > MAX_EVENTS) this.#blinks.shift();
  }

  render(index: number, out: Uint8Array): void {
    const t = index / this.fps;
    const p = this.#paths;
    out.set(this.#background.data);
    const level = this.blinkAt(index);
    let li = 0;
    for (let i = 1; i < LEVELS.length; i++) if (Math.abs((LEVELS[i] as number) - level) < Math.abs((LEVELS[li] as number) - level)) li = i;
    const yaw = this.yawAt(index);
    const src = yaw === 0 ? (this.#levels[li] as RgbImage) : this.#head.turn(this.#levels[li] as RgbImage, yaw);
    const m = similarityAbout(
      src.width / 2,
      src.height / 2,
      this.#s0 * (1 + p.ds.at(t)),
      p.rot.at(t),
      this.width / 2 + p.dx.at(t),
      this.height / 2 + p.dy.at(t),
    );
    warpInto(src, { width: this.width, height: this.height, data: out }, m, { outside: 'edge', region: this.#region, mask: this.#mask });
    this.#noise.apply(out, this.#noiseSigma, 1 + p.light.at(t));
  }
}
