/**
 * The simulated camera of `sim visit`: one FrameSource whose scene the scripted patient changes
 * (`camera: <scene>`, SCENES); subjects come framed as a camera sees them
 * (camera-subject.ts). The person shown live can blink and turn the head when asked (PatientBody);
 * a photo cannot. Each scene is a simulated camera from
 * hardware-sim/camera on the same clock; switching ends the current scene's iteration and the
 * consumer's stream continues with the new scene's frames, as when a person steps in front of
 * a real camera.
 */
import { CancelledError } from '../../firmware/core/errors.ts';
import type { Clock } from '../../firmware/ports/clock.ts';
import type { Frame, FrameSource, FrameSourceStatus } from '../../firmware/ports/frame-source.ts';
import { blankImage } from '../../hardware-sim/camera/image.ts';
import { LiveFaceRenderer } from '../../hardware-sim/camera/live-face.ts';
import { replayCamera } from '../../hardware-sim/camera/replay.ts';
import { imageSequenceCamera, LiveFaceCamera, movedPhotoCamera, type FaceSubject } from '../../hardware-sim/camera/sim-cameras.ts';
import type { PatientBody } from '../../hardware-sim/patients/prompt-reaction.ts';

/** A person blinks every few seconds by themselves (15–20 a minute). */
const BLINK_PERIOD_SEC = 3;

function liveCamera(subject: FaceSubject, o: { clock: Clock; fps: number; seed: number }): LiveFaceCamera {
  const renderer = new LiveFaceRenderer({
    face: subject.faceImage,
    eyes: subject.face.eyes,
    fps: o.fps,
    seed: o.seed,
    blinkPeriodSec: BLINK_PERIOD_SEC,
  });
  return new LiveFaceCamera(renderer, { clock: o.clock, fps: o.fps });
}

/**
 * What can stand in front of the camera: the patient live; their photo printed on paper or shown
 * on a phone (moved by hand); a recording of a live session of theirs, replayed (replay.ts); nobody;
 * another person; the patient with another person beside them.
 * One entry here plus its case in `#make` adds a scene to scenarios and both consoles.
 */
export const SCENES = ['live', 'photo', 'phone', 'replay', 'nobody', 'other-person', 'two-people'] as const;
export type Scene = (typeof SCENES)[number];

export function isScene(value: string): value is Scene {
  return (SCENES as readonly string[]).includes(value);
}

/** The people a scene is made of, framed as the camera sees them. */
export interface SceneSubjects {
  readonly patient: FaceSubject;
  readonly other: FaceSubject;
  /** The patient (live, left) with the other person beside them. */
  readonly pair: FaceSubject;
}

export class SceneCamera implements FrameSource, PatientBody {
  #scene: Scene = 'nobody';
  #sources = new Map<Scene, FrameSource>();
  #switch: AbortController | undefined;
  #closed = false;

  constructor(private readonly o: { clock: Clock; subjects: SceneSubjects; fps?: number }) {}

  get scene(): Scene {
    return this.#scene;
  }

  show(scene: Scene): void {
    if (scene === this.#scene) return;
    this.#scene = scene;
    this.#switch?.abort(new CancelledError('scene change'));
  }

  /** The person in front of the camera blinks (`inSec` from now); a photo, or nobody, cannot. */
  blink(durationSec?: number, inSec?: number): void {
    this.#person()?.blink(durationSec, inSec);
  }

  /** The person in front of the camera turns the head by `yawDeg` and back. */
  turnHead(yawDeg: number, durationSec?: number): void {
    this.#person()?.turnHead(yawDeg, durationSec);
  }

  #person(): LiveFaceCamera | undefined {
    if (this.#scene !== 'live' && this.#scene !== 'other-person' && this.#scene !== 'two-people') return undefined;
    const s = this.#source(this.#scene);
    return s instanceof LiveFaceCamera ? s : undefined;
  }

  #source(scene: Scene): FrameSource {
    let s = this.#sources.get(scene);
    if (!s) {
      s = this.#make(scene);
      this.#sources.set(scene, s);
    }
    return s;
  }

  #make(scene: Scene): FrameSource {
    const o = { clock: this.o.clock, fps: this.o.fps ?? 30, seed: 11 };
    const { patient, other, pair } = this.o.subjects;
    switch (scene) {
      case 'live':
        return liveCamera(patient, o);
      case 'other-person':
        return liveCamera(other, o);
      case 'two-people':
        return liveCamera(pair, o);
      case 'photo':
        return movedPhotoCamera(patient, { ...o, presentation: 'paper' });
      case 'phone':
        return movedPhotoCamera(patient, { ...o, presentation: 'phone' });
      case 'replay':
        return replayCamera(patient, o);
      case 'nobody':
        return imageSequenceCamera([blankImage(640, 480, [118, 122, 116])], o);
    }
  }

  async *frames(signal?: AbortSignal): AsyncGenerator<Frame> {
    // Bounded by the consumer's signal and close(); each pass is one scene.
    while (!this.#closed && !signal?.aborted) {
      const scene = this.#scene;
      const ac = new AbortController();
      this.#switch = ac;
      const onOuter = (): void => ac.abort(signal?.reason);
      signal?.addEventListener('abort', onOuter, { once: true });
      try {
        for await (const frame of this.#source(scene).frames(ac.signal)) {
          if (this.#scene !== scene) {
            frame.data.fill(0);
            break;
          }
          yield frame;
        }
        if (this.#scene === scene) return; // the scene's stream ended by itself
      } catch (err) {
        if (!(err instanceof CancelledError) || signal?.aborted || this.#closed) throw err;
      } finally {
        signal?.removeEventListener('abort', onOuter);
      }
    }
  }

  status(): FrameSourceStatus {
    return this.#source(this.#scene).status();
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#switch?.abort(new CancelledError('camera closed'));
    for (const s of this.#sources.values()) await s.close();
  }
}
