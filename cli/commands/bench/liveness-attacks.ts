/**
 * The presentation attacks `bench face-liveness` (and the liveness tests) put in front of the
 * verifier, each made by its own method, none by the liveness check's model of a spoof:
 * - `still`: the patient's photo held still;
 * - `moved-paper`, `moved-phone`: the photo moved by hand as one plane (print, phone);
 * - `replay`: a recording of a live session of the patient — natural blinks, small motion and the
 *   answers they gave to that session's challenge — played from its start as the attempt begins;
 * - `bent-photo`: a print bent round a vertical axis, turned when a turn is asked;
 * - `cutout-eyes`: a print with the eyes cut out, someone else behind it blinking and turning on cue;
 * - `screen-video`: the recording on a phone held to the camera (bezel, moiré, glare), tilted on cue.
 */
import type { FrameRenderer } from '../../../hardware-sim/camera/clocked-frame-source.ts';
import { BentPhotoRenderer } from '../../../hardware-sim/camera/bent-photo.ts';
import { CutOutEyesRenderer } from '../../../hardware-sim/camera/cutout-eyes.ts';
import { seededRandom } from '../../../hardware-sim/camera/image.ts';
import { recordedSession, ReplayRenderer, type RecordedAction } from '../../../hardware-sim/camera/replay.ts';
import { ScreenReplayRenderer } from '../../../hardware-sim/camera/screen-replay.ts';
import type { FaceSubject } from '../../../hardware-sim/camera/sim-cameras.ts';
import { MovedPhotoRenderer, StillPhotoRenderer } from '../../../hardware-sim/camera/spoof.ts';
import type { RgbImage } from '../../../hardware-sim/camera/image.ts';
import type { PatientBody } from '../../../hardware-sim/patients/prompt-reaction.ts';

export type AttackName = 'still' | 'moved-paper' | 'moved-phone' | 'replay' | 'bent-photo' | 'cutout-eyes' | 'screen-video';
export const ATTACKS: readonly AttackName[] = [
  'still',
  'moved-paper',
  'moved-phone',
  'replay',
  'bent-photo',
  'cutout-eyes',
  'screen-video',
];

export interface AttackMaterial {
  /** The patient as the camera sees them (framed at the reader). */
  readonly subject: FaceSubject;
  /** The patient's own face crop and eye centres in it (what a print is made of). */
  readonly photo: RgbImage;
  readonly photoEyes: readonly [readonly [number, number], readonly [number, number]];
  /** Someone else, framed the same way (behind the cut-out print). */
  readonly other: FaceSubject;
  /** What the patient did in an earlier live session, and how long it lasted (seconds). */
  readonly recording: { readonly actions: readonly RecordedAction[]; readonly seed: number; readonly seconds: number };
  readonly seed: number;
}

export interface Attack {
  readonly scene: FrameRenderer;
  /** The attacker's hands (or nobody): what they do when the screen asks. */
  readonly body?: PatientBody;
}

export function makeAttack(name: AttackName, m: AttackMaterial): Attack {
  const replay = (): ReplayRenderer =>
    new ReplayRenderer(
      recordedSession({ subject: m.subject, seed: m.recording.seed, seconds: m.recording.seconds, actions: m.recording.actions }),
      { seconds: m.recording.seconds },
    );
  switch (name) {
    case 'still':
      return { scene: new StillPhotoRenderer({ photo: m.subject.faceImage, seed: m.seed }) };
    case 'moved-paper':
      return { scene: new MovedPhotoRenderer({ photo: m.subject.faceImage, presentation: 'paper', seed: m.seed }) };
    case 'moved-phone':
      return { scene: new MovedPhotoRenderer({ photo: m.subject.faceImage, presentation: 'phone', seed: m.seed }) };
    case 'replay': {
      const r = replay();
      return { scene: r, body: r };
    }
    case 'bent-photo': {
      // A hand-bent print: radius 0.9–2 eye distances (wrapped on a bottle to loosely curved).
      const radius = 0.9 + 1.1 * seededRandom(m.seed * 31 + 7)();
      const r = new BentPhotoRenderer({ photo: m.photo, eyes: m.photoEyes, radius, seed: m.seed });
      return { scene: r, body: r };
    }
    case 'cutout-eyes': {
      const r = new CutOutEyesRenderer(m.subject, m.other, { seed: m.seed });
      return { scene: r, body: r };
    }
    case 'screen-video': {
      const r = new ScreenReplayRenderer(replay(), { seed: m.seed });
      return { scene: r, body: r };
    }
  }
}
