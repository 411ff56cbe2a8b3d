/**
 * Ready-made simulated cameras for a simulated patient (what `cli/compose.ts` and the visit
 * tests wire in): the patient live, a still photo of them, and their photo moved by hand.
 * All are ClockedFrameSources on the injected Clock (30 fps by default).
 */
import type { Clock } from '../../firmware/ports/clock.ts';
import { ClockedFrameSource } from './clocked-frame-source.ts';
import type { RgbImage } from './image.ts';
import { ImageSequenceRenderer } from './image-sequence.ts';
import { LiveFaceRenderer } from './live-face.ts';
import { MovedPhotoRenderer, StillPhotoRenderer, type Presentation } from './spoof.ts';

export interface FaceSubject {
  readonly faceImage: RgbImage;
  readonly face: { readonly eyes: readonly [readonly [number, number], readonly [number, number]] };
}

export interface SimCameraOptions {
  readonly clock: Clock;
  readonly fps?: number;
  readonly width?: number;
  readonly height?: number;
  readonly seed?: number;
}

const shape = (o: SimCameraOptions): { fps: number; width: number; height: number } => ({
  fps: o.fps ?? 30,
  width: o.width ?? 640,
  height: o.height ?? 480,
});

/** The patient in front of the camera; answers a liveness challenge with `blink()` / `turnHead()`. */
export class LiveFaceCamera extends ClockedFrameSource {
  constructor(
    readonly live: LiveFaceRenderer,
    o: { clock: Clock; fps: number },
  ) {
    super(live, o);
  }

  /** Blinks `inSec` from now (on top of the natural blinks); a deliberate blink lasts about 0.3 s. */
  blink(durationSec?: number, inSec = 0): void {
    this.live.scheduleBlink(this.elapsedSec() + inSec, durationSec);
  }

  /** Turns the head by `yawDeg` (±45, positive towards image right) and back, starting now. */
  turnHead(yawDeg: number, durationSec = 1.5): void {
    this.live.scheduleTurn(this.elapsedSec(), yawDeg, durationSec);
  }
}

export function liveFaceCamera(subject: FaceSubject, o: SimCameraOptions): LiveFaceCamera {
  const s = shape(o);
  return new LiveFaceCamera(
    new LiveFaceRenderer({ face: subject.faceImage, eyes: subject.face.eyes, ...s, ...(o.seed !== undefined ? { seed: o.seed } : {}) }),
    { clock: o.clock, fps: s.fps },
  );
}

export function stillPhotoCamera(subject: FaceSubject, o: SimCameraOptions): ClockedFrameSource {
  const s = shape(o);
  return new ClockedFrameSource(
    new StillPhotoRenderer({ photo: subject.faceImage, ...s, ...(o.seed !== undefined ? { seed: o.seed } : {}) }),
    { clock: o.clock, fps: s.fps },
  );
}

export function movedPhotoCamera(subject: FaceSubject, o: SimCameraOptions & { presentation?: Presentation }): ClockedFrameSource {
  const s = shape(o);
  return new ClockedFrameSource(
    new MovedPhotoRenderer({
      photo: subject.faceImage,
      presentation: o.presentation ?? 'bare',
      ...s,
      ...(o.seed !== undefined ? { seed: o.seed } : {}),
    }),
    { clock: o.clock, fps: s.fps },
  );
}

export function imageSequenceCamera(
  images: readonly RgbImage[],
  o: Omit<SimCameraOptions, 'width' | 'height' | 'seed'> & { loop?: boolean },
): ClockedFrameSource {
  return new ClockedFrameSource(new ImageSequenceRenderer(images, o.loop ?? true), { clock: o.clock, fps: o.fps ?? 30 });
}
