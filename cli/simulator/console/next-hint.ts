/** One sentence for QA: what can be done next on the screen the reader shows. */
import type { ScreenId } from '../../../firmware/ports/screens.ts';
import type { ConsoleActions } from './console-actions.ts';

/** Keyed by the shared screen vocabulary: a screen renamed or removed there fails to compile here. */
const BY_SCREEN: Readonly<Partial<Record<ScreenId, string>>> = {
  'card-reading': 'The reader is reading the card…',
  method: 'Choose Face or PIN on the screen.',
  'face-reading-card': 'The reader is reading the card and looking at the camera. Change the camera scene to try a spoof.',
  face: 'The reader compares the camera with the card photo. Change the camera scene to try a spoof, or another person.',
  'staff-password': 'Type the staff password on the keypad, then Enter (set it under Facility).',
  'staff-check': 'Staff compare the patient with the card photo: Confirm or Reject.',
  done: 'The visit is done: pull the card. Its record is under "Stored result".',
};

export function nextHint(a: ConsoleActions): string {
  const t = a.target;
  if (t.status === 'scenario') return 'A scenario is running: watch it; the controls come back when it ends.';
  if (!t.reader || t.status !== 'ready') return 'The simulated reader is starting…';
  const card = t.reader.slot.card;
  const screen = a.kit()?.adapter.screen;
  if (screen === 'idle')
    return card ? 'The reader is starting the visit…' : 'Insert the card to start a visit. You can pick a language on the screen first.';
  if (screen === 'pin') return `Enter the patient's PIN (${t.reader.patient.pin}) on the keypad or on the screen.`;
  const known = screen ? BY_SCREEN[screen] : undefined;
  if (known) return known;
  if (a.buttons().length > 0) return 'Tap a button on the screen (or in the list under it).';
  return card ? 'Pull the card to end the visit.' : 'Wait for the reader…';
}
