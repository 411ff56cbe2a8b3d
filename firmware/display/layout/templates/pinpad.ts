/**
 * PIN pad and staff password pad: title, tries left, masked entry (●○○○), the "positions change"
 * note, and a 3×4 keypad whose ten digit keys follow `digitOrder` (shuffled by the PIN pad
 * controller on every display), with cancel / clear (and enter for the staff password).
 */
import { type LayoutBuilder, roundRect, ScreenParamsError, splitV } from '../builder.ts';
import type { Rect } from '../types.ts';

const DEFAULT_ORDER = [1, 2, 3, 4, 5, 6, 7, 8, 9, 0] as const;
/** Grid cells (row, col) of the ten digit keys, in order; the bottom row holds the function keys. */
const DIGIT_CELLS: readonly (readonly [number, number])[] = [
  [0, 0],
  [0, 1],
  [0, 2],
  [1, 0],
  [1, 1],
  [1, 2],
  [2, 0],
  [2, 1],
  [2, 2],
  [3, 1],
];

export function isPermutationOfDigits(order: readonly number[]): boolean {
  return order.length === 10 && [...order].sort((a, b) => a - b).every((d, i) => d === i);
}

export function pinpadTemplate(b: LayoutBuilder): void {
  const pad = b.def.pad;
  if (!pad) throw new ScreenParamsError(`screen ${b.def.id}: pinpad template without pad settings`);
  const order = b.params.digitOrder ?? DEFAULT_ORDER;
  if (!isPermutationOfDigits(order)) throw new ScreenParamsError(`screen ${b.def.id}: digitOrder is not a permutation of 0–9`);
  const { u, m, width, height } = b;
  const entered = Math.max(0, Math.min(pad.length, b.params.entered ?? 0));
  let info: Rect;
  let keys: Rect;
  if (b.portrait) {
    const kh = Math.round(height * 0.52);
    info = roundRect({ x: m, y: m + 1.6 * u, w: width - 2 * m, h: height - 2 * m - kh - 4 * u });
    keys = roundRect({ x: m, y: height - m - kh, w: width - 2 * m, h: kh });
  } else {
    const kw = Math.round(Math.min(width * 0.5, (height - 2 * m) * 0.95));
    info = roundRect({ x: m, y: m + 1.6 * u, w: width - 3 * m - kw, h: height - 2 * m - 1.6 * u });
    keys = roundRect({ x: width - m - kw, y: m + 1.6 * u, w: kw, h: height - 2 * m - 1.6 * u });
  }
  const hasCancelInInfo = pad.enter;
  const parts = splitV(info, [2.2, 1.2, 1.6, 1.2, 1.4, ...(hasCancelInInfo ? [2] : [])], Math.round(1.5 * u));
  const [title, tries, dotsRect, note, wrong, cancelRect] = parts as [Rect, Rect, Rect, Rect, Rect, Rect | undefined];
  b.header(title);
  const [triesRef, noteRef] = b.def.body;
  if (triesRef && b.params.triesLeft !== undefined) {
    b.text('tries', triesRef, tries, 'body', { color: b.params.triesLeft <= 1 ? b.theme.error : b.theme.text, valign: 'middle' });
  }
  const total = pad.enter ? Math.max(entered, 4) : pad.length;
  b.dots = { rect: dotsRect, total, filled: entered, color: b.theme.text };
  if (noteRef) b.text('note', noteRef, note, 'small', { color: b.theme.muted });
  if (b.params.wrong) b.text('wrong', pad.wrong, wrong, 'body', { color: b.theme.error, valign: 'middle' });
  const gap = Math.round(2 * u);
  const kw = (keys.w - 2 * gap) / 3;
  const kh = (keys.h - 3 * gap) / 4;
  const cell = (r: number, c: number): Rect => roundRect({ x: keys.x + c * (kw + gap), y: keys.y + r * (kh + gap), w: kw, h: kh });
  order.forEach((digit, i) => {
    const [r, c] = DIGIT_CELLS[i] as readonly [number, number];
    b.button(`digit-${digit}`, String(digit), cell(r, c), 'key', { role: 'key', lang: 'en' });
  });
  const label = (id: string): string => {
    const d = b.def.buttons.find((x) => x.id === id);
    if (!d) throw new ScreenParamsError(`screen ${b.def.id}: no "${id}" button`);
    return b.resolve(d.label);
  };
  if (pad.enter) {
    b.button('clear', label('clear'), cell(3, 0), 'secondary');
    b.button('enter', label('enter'), cell(3, 2), 'primary');
    if (cancelRect) b.button('cancel', label('cancel'), roundRect({ ...cancelRect, w: Math.min(cancelRect.w, 40 * u) }), 'secondary');
  } else {
    b.button('cancel', label('cancel'), cell(3, 0), 'secondary');
    b.button('clear', label('clear'), cell(3, 2), 'secondary');
  }
}
