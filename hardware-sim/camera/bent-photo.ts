/**
 * A printed photo bent round a vertical axis (a curved sheet, as held in the hand or wrapped on a
 * bottle) in front of the camera: ink on paper (less contrast, warmer, a white border), the sheet
 * a cylinder of `radius` (in units of the photo's eye distance), held by a slightly unsteady hand
 * over a still room. Asked to turn the head, the attacker turns the sheet (`turnHead`); it cannot
 * blink. Drawn column by column from the front (orthographic), nearer surface winning.
 */
import type { PatientBody } from '../patients/prompt-reaction.ts';
import type { FrameRenderer } from './clocked-frame-source.ts';
import { NoiseTable, seededRandom, type RgbImage } from './image.ts';
import { SmoothPath } from './motion.ts';
import { mount, room } from './spoof.ts';
import { TurnSchedule } from './turn-schedule.ts';

export interface BentPhotoOptions {
  readonly photo: RgbImage;
  /** Eye centres in the photo, image-left first (for the scale of the bend). */
  readonly eyes: readonly [readonly [number, number], readonly [number, number]];
  /** Bend radius over the eye distance on the print. */
  readonly radius: number;
  readonly width?: number;
  readonly height?: number;
  readonly fps?: number;
  readonly seed?: number;
}

/** Ink on paper: the print's tone range is narrower and warmer than the screen it was taken from. */
export function printLook(img: RgbImage): RgbImage {
  const data = new Uint8Array(img.data.length);
  const tint = [1.02, 0.99, 0.93];
  for (let i = 0; i < data.length; i += 3) {
    const l = 0.299 * img.data[i]! + 0.587 * img.data[i + 1]! + 0.114 * img.data[i + 2]!;
    for (let c = 0; c < 3; c++) data[i + c] = Math.min(255, (22 + 0.82 * (0.85 * img.data[i + c]! + 0.15 * l)) * tint[c]!);
  }
  return { ...img, data };
}

export class BentPhotoRenderer implements FrameRenderer, PatientBody {
  readonly width: number;
  readonly height: number;
  readonly length = Infinity;
  readonly fps: number;
  readonly #sheet: RgbImage;
  readonly #room: RgbImage;
  readonly #noise: NoiseTable;
  readonly #paths: { dx: SmoothPath; dy: SmoothPath; rot: SmoothPath; yaw: SmoothPath };
  readonly #scale: number;
  readonly #radiusPx: number;
  readonly #turns = new TurnSchedule(16);
  #frame = 0;

  constructor(readonly o: BentPhotoOptions) {
    this.width = o.width ?? 640;
    this.height = o.height ?? 480;
    this.fps = o.fps ?? 30;
    const rand = seededRandom(o.seed ?? 23);
    this.#sheet = mount(printLook(o.photo), 'paper');
    this.#room = room(this.width, this.height);
    this.#noise = new NoiseTable(rand);
    const iod = Math.hypot(o.eyes[1][0] - o.eyes[0][0], o.eyes[1][1] - o.eyes[0][1]);
    this.#radiusPx = o.radius * iod;
    // The face about as large as a live one at the reader (eyes ≈ 80 px apart).
    this.#scale = 80 / iod;
    this.#paths = {
      dx: new SmoothPath(rand, 10, 0.35),
      dy: new SmoothPath(rand, 8, 0.3),
      rot: new SmoothPath(rand, 0.03, 0.3),
      yaw: new SmoothPath(rand, 0.05, 0.25),
    };
  }

  blink(): void {
    /* paper cannot blink */
  }

  /** The attacker turns the sheet as a head would turn. */
  turnHead(yawDeg: number, durationSec = 1.2): void {
    this.#turns.add(this.#frame / this.fps, yawDeg, durationSec);
  }

  render(index: number, out: Uint8Array): void {
    this.#frame = index;
    const t = index / this.fps;
    const yaw = this.#paths.yaw.at(t) + this.#turns.yawAt(t);
    out.set(this.#room.data);
    const s = this.#sheet;
    const R = this.#radiusPx;
    const k = this.#scale;
    const cx = this.width / 2 + this.#paths.dx.at(t);
    const cy = this.height / 2 + this.#paths.dy.at(t);
    const roll = this.#paths.rot.at(t);
    const cr = Math.cos(roll);
    const sr = Math.sin(roll);
    const c = Math.cos(yaw);
    const sn = Math.sin(yaw);
    const land = new Float32Array(s.width);
    const depth = new Float32Array(s.width);
    for (let u = 0; u < s.width; u++) {
      const phi = (u - s.width / 2) / R;
      const x = R * Math.sin(phi);
      const z = R * Math.cos(phi) - R;
      land[u] = (x * c + z * sn) * k;
      depth[u] = -x * sn + z * c;
    }
    const zbuf = new Float32Array(this.width * this.height).fill(Number.NEGATIVE_INFINITY);
    // Rows at most one output pixel apart, whatever the scale (no gaps between them).
    const rowStep = Math.min(1, 1 / k);
    for (let vv = 0; vv < s.height; vv += rowStep) {
      const v = Math.floor(vv);
      const py = (vv - s.height / 2) * k;
      for (let u = 0; u + 1 < s.width; u++) {
        const a = land[u]!;
        const b = land[u + 1]!;
        if (b <= a) continue; // the sheet's back
        for (let px = Math.ceil(a); px < b; px++) {
          const f = (px - a) / (b - a);
          const X = cx + px * cr - py * sr;
          const Y = cy + px * sr + py * cr;
          const xo = Math.round(X);
          const yo = Math.round(Y);
          if (xo < 0 || yo < 0 || xo >= this.width || yo >= this.height) continue;
          const z = depth[u]! + (depth[u + 1]! - depth[u]!) * f;
          const zi = yo * this.width + xo;
          if (z <= zbuf[zi]!) continue;
          zbuf[zi] = z;
          const p = (v * s.width + u) * 3;
          for (let ch = 0; ch < 3; ch++) out[zi * 3 + ch] = s.data[p + ch]! * (1 - f) + s.data[p + 3 + ch]! * f;
        }
      }
    }
    this.#noise.apply(out, 2.5);
  }
}
