/**
 * A printed photo of the patient with the eyes cut out, held against the attacker's face: through
 * the holes the camera sees the attacker's own eyes, which blink when asked (`blink`), in the
 * shade of the paper, with the cut edge showing as a thin dark rim. Asked to turn the head, the
 * attacker turns head and sheet together: the print turns as a plane (`turnHead`). The sheet and
 * the head behind it sway a little, not quite together.
 */
import type { PatientBody } from '../patients/prompt-reaction.ts';
import { printLook } from './bent-photo.ts';
import type { FrameRenderer } from './clocked-frame-source.ts';
import { NoiseTable, seededRandom, type RgbImage } from './image.ts';
import { LiveFaceRenderer } from './live-face.ts';
import { SmoothPath } from './motion.ts';
import type { FaceSubject } from './sim-cameras.ts';
import { room } from './spoof.ts';
import { similarityAbout, warpInto } from './warp.ts';
import { TurnSchedule } from './turn-schedule.ts';

/** Half-axes of a hole over the eye distance. */
const HOLE_X = 0.3;
const HOLE_Y = 0.2;
const SHADE = 0.78;

export class CutOutEyesRenderer implements FrameRenderer, PatientBody {
  readonly width: number;
  readonly height: number;
  readonly length = Infinity;
  readonly fps: number;
  readonly #print: RgbImage;
  readonly #behind: LiveFaceRenderer;
  readonly #room: RgbImage;
  readonly #noise: NoiseTable;
  readonly #paths: { dx: SmoothPath; dy: SmoothPath; rot: SmoothPath };
  readonly #eyes: readonly (readonly [number, number])[];
  readonly #iod: number;
  readonly #turns = new TurnSchedule(16);
  readonly #buf: Uint8Array;
  readonly #sheet: { x0: number; y0: number; x1: number; y1: number };
  #frame = 0;

  /** `victim`: whose photo is printed; `attacker`: whose eyes look through it (both framed as a camera sees them). */
  constructor(victim: FaceSubject, attacker: FaceSubject, o: { readonly seed?: number; readonly fps?: number } = {}) {
    const v = victim.faceImage;
    this.width = v.width;
    this.height = v.height;
    this.fps = o.fps ?? 30;
    const rand = seededRandom(o.seed ?? 29);
    this.#eyes = victim.face.eyes;
    const [[lx, ly], [rx, ry]] = victim.face.eyes;
    this.#iod = Math.hypot(rx - lx, ry - ly);
    this.#print = printLook(v);
    // The attacker's face moved so that their eyes are behind the holes.
    const [[alx, aly], [arx, ary]] = attacker.face.eyes;
    const s = this.#iod / Math.hypot(arx - alx, ary - aly);
    const angle = Math.atan2(ry - ly, rx - lx) - Math.atan2(ary - aly, arx - alx);
    const aligned = { width: v.width, height: v.height, data: new Uint8Array(v.data.length) };
    warpInto(attacker.faceImage, aligned, similarityAbout((alx + arx) / 2, (aly + ary) / 2, s, angle, (lx + rx) / 2, (ly + ry) / 2), {
      outside: 'edge',
    });
    this.#behind = new LiveFaceRenderer({
      face: aligned,
      eyes: victim.face.eyes,
      seed: (o.seed ?? 29) + 1,
      fps: this.fps,
      blinkPeriodSec: 3,
    });
    this.#room = room(this.width, this.height);
    this.#noise = new NoiseTable(rand);
    this.#paths = { dx: new SmoothPath(rand, 6, 0.35), dy: new SmoothPath(rand, 5, 0.3), rot: new SmoothPath(rand, 0.02, 0.3) };
    this.#buf = new Uint8Array(v.data.length);
    const mx = (lx + rx) / 2;
    const my = (ly + ry) / 2;
    // The sheet: the face and a little around it.
    this.#sheet = { x0: mx - 1.7 * this.#iod, y0: my - 1.6 * this.#iod, x1: mx + 1.7 * this.#iod, y1: my + 2.2 * this.#iod };
  }

  blink(durationSec?: number, inSec = 0): void {
    this.#behind.scheduleBlink(this.#frame / this.fps + inSec, durationSec);
  }

  turnHead(yawDeg: number, durationSec = 1.2): void {
    this.#turns.add(this.#frame / this.fps, yawDeg, durationSec);
  }

  render(index: number, out: Uint8Array): void {
    this.#frame = index;
    const t = index / this.fps;
    const yaw = this.#turns.yawAt(t);
    this.#behind.render(index, this.#buf);
    const [[lx, ly], [rx, ry]] = this.#eyes as [readonly [number, number], readonly [number, number]];
    const cx = (lx + rx) / 2;
    const cos = Math.cos(yaw);
    const dx = this.#paths.dx.at(t);
    const dy = this.#paths.dy.at(t);
    const rot = this.#paths.rot.at(t);
    const cr = Math.cos(rot);
    const sr = Math.sin(rot);
    const my = (ly + ry) / 2;
    const { x0, y0, x1, y1 } = this.#sheet;
    const w = this.width;
    out.set(this.#room.data);
    for (let y = 0; y < this.height; y++) {
      for (let x = 0; x < w; x++) {
        // Undo the hand's sway and roll about the face, then the turn (a plane about a vertical axis).
        const ux = x - cx - dx;
        const uy = y - my - dy;
        const px = (ux * cr + uy * sr) / cos + cx;
        const py = -ux * sr + uy * cr + my;
        if (px < x0 || px >= x1 || py < y0 || py >= y1) continue;
        const o = (y * w + x) * 3;
        const si = (Math.round(py) * w + Math.round(px)) * 3;
        if (si < 0 || si + 2 >= this.#print.data.length) continue;
        let hole = Number.POSITIVE_INFINITY;
        for (const [ex, ey] of this.#eyes)
          hole = Math.min(hole, Math.hypot((px - ex) / (HOLE_X * this.#iod), (py - ey) / (HOLE_Y * this.#iod)));
        if (hole < 1) {
          // Through the hole: the attacker's eye, moving with the sheet (the few cm between them neglected), in its shade.
          const bi = si;
          const rim = hole > 0.9 ? 0.55 : 1;
          for (let c = 0; c < 3; c++) out[o + c] = this.#buf[bi + c]! * SHADE * rim;
        } else {
          for (let c = 0; c < 3; c++) out[o + c] = this.#print.data[si + c]!;
        }
      }
    }
    this.#buf.fill(0);
    this.#noise.apply(out, 2.5);
  }
}
