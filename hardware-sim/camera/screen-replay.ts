/**
 * A video played on a phone held up to the camera: the phone's black bezel and body, the picture
 * as a screen emits it (brighter, bluer, less contrast under a reflection), and moiré — the camera
 * samples the screen's pixel grid (red, green and blue stripes per pixel, dark gaps between rows)
 * at a pitch that does not divide it, a little tilted, so the grid beats into bands. The phone
 * sways in the hand; asked to turn the head, the attacker tilts the phone (`turnHead`) — the video
 * itself answers nothing.
 */
import type { PatientBody } from '../patients/prompt-reaction.ts';
import type { FrameRenderer } from './clocked-frame-source.ts';
import { NoiseTable, seededRandom, type RgbImage } from './image.ts';
import { SmoothPath } from './motion.ts';
import { room } from './spoof.ts';
import { TurnSchedule } from './turn-schedule.ts';

/** The phone's screen, in camera pixels, and its resolution across (pixels of the screen). */
const SCREEN_W = 520;
const SCREEN_H = 390;
const SCREEN_PIXELS_ACROSS = 1920;
const BEZEL = 16;

export class ScreenReplayRenderer implements FrameRenderer, PatientBody {
  readonly width: number;
  readonly height: number;
  readonly length = Infinity;
  readonly fps: number;
  readonly #video: FrameRenderer;
  readonly #content: Uint8Array;
  readonly #room: RgbImage;
  readonly #noise: NoiseTable;
  readonly #paths: { dx: SmoothPath; dy: SmoothPath; rot: SmoothPath };
  readonly #turns = new TurnSchedule(16);
  #frame = 0;

  constructor(video: FrameRenderer, o: { readonly seed?: number; readonly fps?: number } = {}) {
    this.#video = video;
    this.width = video.width;
    this.height = video.height;
    this.fps = o.fps ?? 30;
    const rand = seededRandom(o.seed ?? 31);
    this.#content = new Uint8Array(video.width * video.height * 3);
    this.#room = room(this.width, this.height);
    this.#noise = new NoiseTable(rand);
    this.#paths = { dx: new SmoothPath(rand, 8, 0.35), dy: new SmoothPath(rand, 6, 0.3), rot: new SmoothPath(rand, 0.03, 0.3) };
  }

  blink(): void {
    /* a video cannot answer */
  }

  turnHead(yawDeg: number, durationSec = 1.2): void {
    this.#turns.add(this.#frame / this.fps, yawDeg, durationSec);
  }

  render(index: number, out: Uint8Array): void {
    this.#frame = index;
    const t = index / this.fps;
    const yaw = this.#turns.yawAt(t);
    this.#video.render(index, this.#content);
    out.set(this.#room.data);
    const cx = this.width / 2 + this.#paths.dx.at(t);
    const cy = this.height / 2 + this.#paths.dy.at(t);
    const rot = this.#paths.rot.at(t) + 0.035; // held a little crooked: the grid is not aligned with the sensor
    const cr = Math.cos(rot);
    const sr = Math.sin(rot);
    const cos = Math.cos(yaw);
    const vw = this.#video.width;
    const vh = this.#video.height;
    const pitch = SCREEN_PIXELS_ACROSS / SCREEN_W;
    for (let y = 0; y < this.height; y++) {
      for (let x = 0; x < this.width; x++) {
        const ux = x - cx;
        const uy = y - cy;
        const u = (ux * cr + uy * sr) / cos + SCREEN_W / 2;
        const v = -ux * sr + uy * cr + SCREEN_H / 2;
        if (u < -BEZEL || v < -BEZEL || u >= SCREEN_W + BEZEL || v >= SCREEN_H + BEZEL) continue;
        const o = (y * this.width + x) * 3;
        if (u < 0 || v < 0 || u >= SCREEN_W || v >= SCREEN_H) {
          out[o] = 14;
          out[o + 1] = 14;
          out[o + 2] = 16;
          continue;
        }
        const si = (Math.min(vh - 1, Math.floor((v / SCREEN_H) * vh)) * vw + Math.min(vw - 1, Math.floor((u / SCREEN_W) * vw))) * 3;
        // The screen's pixel grid where the camera samples it.
        const sx = u * pitch;
        const sy = v * pitch;
        const row = 0.86 + 0.14 * Math.cos(2 * Math.PI * (sy - Math.floor(sy)));
        const glare = 18 * Math.max(0, 1 - Math.abs(u / SCREEN_W - v / SCREEN_H - 0.2) * 4);
        for (let c = 0; c < 3; c++) {
          const sub = 0.62 + 0.38 * Math.cos(2 * Math.PI * (sx - Math.floor(sx) - c / 3));
          const emitted = (12 + 0.9 * this.#content[si + c]!) * (c === 2 ? 1.06 : c === 0 ? 0.96 : 1);
          out[o + c] = Math.min(255, emitted * sub * row * 1.25 + glare);
        }
      }
    }
    this.#content.fill(0);
    this.#noise.apply(out, 2.5);
  }
}
