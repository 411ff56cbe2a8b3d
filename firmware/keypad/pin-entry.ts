/**
 * PIN entry on the screen: shows the tries left before entry, a warning before the last try,
 * then the pad with freshly shuffled digits, masked entry (●○○○), clear and cancel, from touch
 * or the HID keypad alike (both arrive as ScreenUi actions). Returns the 4 ASCII digits in a
 * Buffer the caller owns (register it in the visit's SecretBag and wipe it after VERIFY).
 */
import { CancelledError } from '../core/errors.ts';
import type { SecretBag } from '../core/secret.ts';
import type { Lang } from '../display/i18n/languages.ts';
import type { ScreenUi } from '../display/screen-ui.ts';
import { PinPad, type RandomInt } from './pin-pad.ts';

export type PinResult =
  | { readonly kind: 'pin'; readonly pin: Buffer }
  | { readonly kind: 'cancel' }
  /** The patient asked for a staff check at the last-try warning. */
  | { readonly kind: 'staff' };

export interface PinEntryOptions {
  readonly lang: Lang;
  /** Tries left on the card (from VERIFY's 63Cx); shown before entry. */
  readonly triesLeft: number;
  /** The previous entry was wrong: show 正しい暗証番号を入力してください. */
  readonly wrong?: boolean;
  readonly signal?: AbortSignal;
  /** When given, the returned PIN is registered in it. */
  readonly bag?: SecretBag;
  readonly random?: RandomInt;
  /** Upper bound on button presses in one entry (a stuck key cannot loop forever). */
  readonly maxPresses?: number;
}

export async function readPin(ui: ScreenUi, o: PinEntryOptions): Promise<PinResult> {
  if (o.triesLeft <= 1) {
    await ui.show('pin-last-try', {}, o.lang);
    const a = await ui.waitForAction(o.signal);
    if (a.buttonId === 'staff') return { kind: 'staff' };
  }
  const pad = new PinPad(4, o.random);
  const order = pad.shuffle();
  const params = { triesLeft: o.triesLeft, digitOrder: order, wrong: o.wrong ?? false };
  try {
    await ui.show('pin-pad', { ...params, entered: 0 }, o.lang);
    for (let presses = 0; presses < (o.maxPresses ?? 200); presses++) {
      const { buttonId } = await ui.waitForAction(o.signal);
      if (buttonId === 'cancel') return { kind: 'cancel' };
      if (buttonId === 'clear') pad.clear();
      else if (buttonId.startsWith('digit-')) pad.press(Number(buttonId.slice(6)));
      else continue;
      if (pad.complete) {
        const pin = pad.take();
        o.bag?.hold(pin);
        await ui.show('pin-pad', { ...params, entered: 4 }, o.lang);
        return { kind: 'pin', pin };
      }
      await ui.show('pin-pad', { ...params, entered: pad.entered }, o.lang);
    }
    throw new CancelledError('PIN entry (too many presses)');
  } finally {
    pad.wipe();
  }
}
