/**
 * The face part's findings about a frame (firmware/face/guidance.ts: what is wrong, or which
 * liveness challenge runs) → the one hint of the shared vocabulary the face screen shows for it
 * (ports/screens.ts FACE_HINTS). Several findings share an instruction ("come into the frame").
 */
import type { GuidanceKind } from '../../face/guidance.ts';
import type { FaceHint } from '../../ports/screens.ts';

const HINT: Readonly<Record<GuidanceKind, FaceHint>> = {
  'no-face': 'position',
  'several-faces': 'onePerson',
  'off-centre': 'position',
  'too-far': 'closer',
  'too-close': 'farther',
  'head-turned': 'look',
  'too-dark': 'dark',
  'too-bright': 'bright',
  backlit: 'backlit',
  'face-covered': 'mask',
  blurred: 'hold',
  'hold-still': 'hold',
  ok: 'checking',
  'blink-once': 'blinkOnce',
  'blink-twice': 'blinkTwice',
  'blink-thrice': 'blinkThrice',
  'turn-left': 'turnLeft',
  'turn-right': 'turnRight',
};

export function faceHint(kind: GuidanceKind): FaceHint {
  return HINT[kind];
}
