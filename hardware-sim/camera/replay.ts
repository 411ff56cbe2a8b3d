/**
 * A recording of a live session, replayed. The recording is what the camera saw of a live
 * patient (`LiveFaceRenderer`: moving, blinking by themselves) who also did what some reader
 * asked of them then: the deliberate blinks and head turns of `actions`, at the times they did
 * them. Replayed, it shows exactly that again from `startSec` on, looping, and can react to
 * nothing: `blink()` and `turnHead()` do nothing (a PatientBody that cannot answer).
 *
 * `replayCamera` is the scene for the QA console ("replayed recording"): a patient's recorded
 * session — a random challenge answered at a random time, as any recording of a visit would hold —
 * on a loop from a random point.
 */
import type { Clock } from '../../firmware/ports/clock.ts';
import type { PatientBody } from '../patients/prompt-reaction.ts';
import { ClockedFrameSource, type FrameRenderer } from './clocked-frame-source.ts';
import { seededRandom } from './image.ts';
import { LiveFaceRenderer } from './live-face.ts';
import type { FaceSubject } from './sim-cameras.ts';

/** Something the recorded patient did on request: a deliberate blink, or a head turn (degrees, positive towards image right). */
export type RecordedAction =
  { readonly at: number; readonly blink: number } | { readonly at: number; readonly turnDeg: number; readonly durationSec: number };

export interface RecordingOptions {
  readonly subject: FaceSubject;
  readonly seed: number;
  /** Length of the recording, seconds. */
  readonly seconds: number;
  /** What the patient did, seconds from the start of the recording. */
  readonly actions: readonly RecordedAction[];
  readonly fps?: number;
}

/** The recorded session: the live face with the recorded actions at their times. */
export function recordedSession(o: RecordingOptions): LiveFaceRenderer {
  const r = new LiveFaceRenderer({ face: o.subject.faceImage, eyes: o.subject.face.eyes, seed: o.seed, ...(o.fps ? { fps: o.fps } : {}) });
  for (const a of o.actions) {
    if ('blink' in a) r.scheduleBlink(a.at, a.blink);
    else r.scheduleTurn(a.at, a.turnDeg, a.durationSec);
  }
  return r;
}

export class ReplayRenderer implements FrameRenderer, PatientBody {
  readonly width: number;
  readonly height: number;
  readonly length = Infinity;
  readonly #frames: number;
  readonly #start: number;

  /** `recorded` played from `startSec`, looping after `seconds`. */
  constructor(
    readonly recorded: FrameRenderer & { readonly fps: number },
    o: { readonly seconds: number; readonly startSec?: number },
  ) {
    this.width = recorded.width;
    this.height = recorded.height;
    this.#frames = Math.max(1, Math.round(o.seconds * recorded.fps));
    this.#start = Math.round((o.startSec ?? 0) * recorded.fps);
  }

  render(index: number, out: Uint8Array): void {
    this.recorded.render((this.#start + index) % this.#frames, out);
  }

  blink(): void {
    /* a recording cannot answer */
  }
  turnHead(): void {
    /* a recording cannot answer */
  }
}

/**
 * A recorded session of `subject` for the QA console: 6 s in which the patient, once asked, blinked
 * twice or turned the head (drawn from `seed`), replayed on a loop from a random second.
 */
export function replayCamera(
  subject: FaceSubject,
  o: { readonly clock: Clock; readonly seed?: number; readonly fps?: number },
): ClockedFrameSource {
  const rand = seededRandom(o.seed ?? 17);
  const at = 1 + 3 * rand();
  const actions: RecordedAction[] =
    rand() < 0.5
      ? [
          { at, blink: 0.3 },
          { at: at + 0.55, blink: 0.3 },
        ]
      : [{ at, turnDeg: rand() < 0.5 ? 25 : -25, durationSec: 1.2 }];
  const recorded = recordedSession({ subject, seed: (o.seed ?? 17) + 1, seconds: 6, actions, ...(o.fps ? { fps: o.fps } : {}) });
  return new ClockedFrameSource(new ReplayRenderer(recorded, { seconds: 6, startSec: 6 * rand() }), { clock: o.clock, fps: o.fps ?? 30 });
}
