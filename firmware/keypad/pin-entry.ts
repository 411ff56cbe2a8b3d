/**
 * Entry on a digit pad shown through ScreenUi, from touch or the HID keypad alike (both arrive
 * as ScreenUi actions): the patient PIN pad (digits reshuffled on every display, 4 digits, entry
 * ends on the 4th) and the staff password pad (fixed digits, 8–16, Enter submits). Masked dots follow
 * the count; clear empties; cancel gives up. The digits live in a PinPad Buffer that is zeroized
 * whatever happens; the caller receives its own copy (ASCII digits) to wipe after use.
 */
import { CancelledError } from '../core/errors.ts';
import type { SecretBag } from '../core/secret.ts';
import type { Lang } from '../display/i18n/languages.ts';
import type { ScreenUi } from '../display/screen-ui.ts';
import { STAFF_PASSWORD_MAX_DIGITS, STAFF_PASSWORD_MIN_DIGITS } from '../core/staff-password-hash.ts';
import { PinPad, type RandomInt } from '../core/pin-pad.ts';

export type PinResult =
  | { readonly kind: 'pin'; readonly pin: Buffer }
  | { readonly kind: 'cancel' }
  /** The patient asked for a staff check at the last-try warning. */
  | { readonly kind: 'staff' };

export interface PadEntryOptions {
  readonly lang: Lang;
  readonly signal?: AbortSignal | undefined;
  /** Shown above the pad: tries left (PIN) and whether the previous entry was wrong. */
  readonly triesLeft?: number | undefined;
  readonly wrong?: boolean | undefined;
  readonly random?: RandomInt | undefined;
  /** Upper bound on button presses in one entry (a stuck key cannot loop forever). */
  readonly maxPresses?: number | undefined;
}

/** The 4-digit patient PIN on the shuffled pad, or undefined when cancelled. */
export function enterPin(ui: ScreenUi, o: PadEntryOptions): Promise<Buffer | undefined> {
  return enterOnPad(ui, 'pin', 4, true, o);
}

/** The staff password (8 to 16 digits, Enter submits) on the fixed pad, or undefined when cancelled. */
export function enterStaffPassword(ui: ScreenUi, o: PadEntryOptions): Promise<Buffer | undefined> {
  return enterOnPad(ui, 'staff-password', STAFF_PASSWORD_MAX_DIGITS, false, o);
}

async function enterOnPad(ui: ScreenUi, screen: 'pin' | 'staff-password', length: number, shuffle: boolean, o: PadEntryOptions): Promise<Buffer | undefined> {
  const pad = new PinPad(length, o.random);
  const digitOrder = shuffle ? pad.shuffle() : pad.order;
  const params = { digitOrder, wrong: o.wrong ?? false, ...(o.triesLeft !== undefined ? { triesLeft: o.triesLeft } : {}) };
  try {
    await ui.show(screen, { ...params, entered: 0 }, o.lang);
    for (let presses = 0; presses < (o.maxPresses ?? 200); presses++) {
      const { buttonId } = await ui.waitForAction(o.signal);
      if (buttonId === 'cancel') return undefined;
      if (buttonId === 'clear') pad.clear();
      else if (buttonId === 'enter') {
        if (pad.entered >= (shuffle ? length : STAFF_PASSWORD_MIN_DIGITS)) return pad.take();
        continue;
      } else if (buttonId.startsWith('digit-')) pad.press(Number(buttonId.slice(6)));
      else continue;
      if (shuffle && pad.complete) {
        await ui.show(screen, { ...params, entered: pad.entered }, o.lang);
        return pad.take();
      }
      await ui.show(screen, { ...params, entered: pad.entered }, o.lang);
    }
    throw new CancelledError(`${screen} entry (too many presses)`);
  } finally {
    pad.wipe();
  }
}

export interface PinEntryOptions extends PadEntryOptions {
  /** Tries left on the card (from VERIFY's 63Cx); shown before entry. */
  readonly triesLeft: number;
  /** When given, the returned PIN is registered in it. */
  readonly bag?: SecretBag;
}

/** The whole PIN step's screen part: last-try warning when one try is left, then the shuffled pad. */
export async function readPin(ui: ScreenUi, o: PinEntryOptions): Promise<PinResult> {
  if (o.triesLeft <= 1) {
    await ui.show('pin-warning-last-try', {}, o.lang);
    const a = await ui.waitForAction(o.signal);
    if (a.buttonId === 'staff') return { kind: 'staff' };
    if (a.buttonId === 'cancel') return { kind: 'cancel' };
  }
  const pin = await enterPin(ui, o);
  if (!pin) return { kind: 'cancel' };
  o.bag?.hold(pin);
  return { kind: 'pin', pin };
}
