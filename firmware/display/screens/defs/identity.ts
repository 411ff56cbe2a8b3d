/**
 * Identity check screens: method choice (and its variant on a reader that finishes face mode with
 * the PIN), face guidance, face failure, PIN pad (and its variant after a face match), last-try
 * warning, blocked PIN.
 */
import type { ScreenDef } from '../screen-def.ts';

export const methodChoice = {
  id: 'method',
  template: 'choice',
  tone: 'info',
  title: 'method.title',
  body: [],
  buttons: [
    { id: 'face', label: 'method.face', kind: 'primary', default: true },
    { id: 'pin', label: 'method.pin', kind: 'primary' },
  ],
} satisfies ScreenDef<'method'>;

/** No terminal authenticator on this reader: the face button says the PIN follows. */
export const methodChoiceFacePin = {
  id: 'method-face-pin',
  template: 'choice',
  tone: 'info',
  title: 'method.title',
  body: ['method.faceThenPin'],
  buttons: [
    { id: 'face', label: 'method.facePin', kind: 'primary', default: true },
    { id: 'pin', label: 'method.pin', kind: 'primary' },
  ],
} satisfies ScreenDef<'method-face-pin'>;

export const faceGuidance = {
  id: 'face',
  template: 'face',
  tone: 'info',
  title: 'face.title',
  body: [{ hint: true }],
  buttons: [
    { id: 'pin', label: 'face.usePin', kind: 'secondary' },
    { id: 'cancel', label: 'btn.cancel', kind: 'secondary' },
  ],
} satisfies ScreenDef<'face'>;

export const faceFailed = {
  id: 'face-failed',
  template: 'message',
  tone: 'info',
  title: 'faceFailed.title',
  body: ['faceFailed.body'],
  buttons: [
    { id: 'staff', label: 'btn.staff', kind: 'secondary' },
    { id: 'pin', label: 'face.usePin', kind: 'primary', default: true },
  ],
} satisfies ScreenDef<'face-failed'>;

export const pinPad = {
  id: 'pin',
  template: 'pinpad',
  tone: 'info',
  title: 'pin.title',
  body: ['pin.tries', 'pin.shuffled'],
  buttons: [
    { id: 'cancel', label: 'btn.cancel', kind: 'secondary' },
    { id: 'clear', label: 'btn.clear', kind: 'secondary' },
  ],
  pad: { shuffle: true, length: 4, enter: false, wrong: 'pin.wrong' },
} satisfies ScreenDef<'pin'>;

/** The face matched on a reader without a terminal authenticator: the PIN lets the card sign. */
export const pinPadAfterFace = {
  ...pinPad,
  id: 'pin-after-face',
  body: ['pin.afterFace', 'pin.tries', 'pin.shuffled'],
} satisfies ScreenDef<'pin-after-face'>;

/**
 * No default button (a keypad Enter, reflexive after a wrong PIN, must not spend the last try)
 * and a short input guard: presses in the first 1.5 s after the warning appears are dropped.
 */
export const pinLastTry = {
  id: 'pin-warning-last-try',
  template: 'message',
  tone: 'warning',
  title: 'pinLast.title',
  body: ['pinLast.body'],
  buttons: [
    { id: 'cancel', label: 'btn.back', kind: 'secondary' },
    { id: 'staff', label: 'btn.staff', kind: 'secondary' },
    { id: 'continue', label: 'pinLast.continue', kind: 'primary' },
  ],
  inputGuardMs: 1500,
} satisfies ScreenDef<'pin-warning-last-try'>;

export const pinBlocked = {
  id: 'pin-blocked',
  template: 'message',
  tone: 'error',
  title: 'pinBlocked.title',
  body: ['pinBlocked.body'],
  buttons: [
    { id: 'staff', label: 'btn.staff', kind: 'secondary' },
    { id: 'ok', label: 'btn.ok', kind: 'primary', default: true },
  ],
} satisfies ScreenDef<'pin-blocked'>;
