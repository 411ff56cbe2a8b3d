/** Test wiring: a ScreenUi on the simulated display, touch panel and keypad. */
import { MemorySink, createLogger } from '../../../firmware/core/logger.ts';
import { FontSet } from '../../../firmware/display/fonts/font-set.ts';
import { ScreenUi } from '../../../firmware/display/screen-ui.ts';
import type { Clock } from '../../../firmware/ports/clock.ts';
import type { FramebufferFormat } from '../../../firmware/ports/display.ts';
import { SimDisplay } from '../../../hardware-sim/display/sim-display.ts';
import { SimKeypad } from '../../../hardware-sim/keypad/sim-keypad.ts';
import { SimTouch } from '../../../hardware-sim/touch/sim-touch.ts';
import { systemClock } from '../../../firmware/platform/system-clock.ts';

export const sharedFonts = new FontSet();

export function simUi(
  width = 800,
  height = 480,
  format: FramebufferFormat = 'XRGB8888',
  clock?: Clock,
): { ui: ScreenUi; display: SimDisplay; touch: SimTouch; keypad: SimKeypad; sink: MemorySink } {
  const display = new SimDisplay(width, height, format);
  let ui: ScreenUi | undefined;
  const touch = new SimTouch(() => ui?.layout);
  const keypad = new SimKeypad();
  const sink = new MemorySink();
  const log = createLogger({ sink, level: 'debug' });
  ui = new ScreenUi({ display, touch, keypad, log, fonts: sharedFonts, clock: clock ?? systemClock });
  ui.start();
  return { ui, display, touch, keypad, sink };
}

export function hex(rgb: readonly number[]): string {
  return `#${rgb
    .map((v) => v.toString(16).padStart(2, '0'))
    .join('')
    .toUpperCase()}`;
}

/** Lets pending input events reach the UI. */
export const tick = (): Promise<void> => new Promise((r) => setImmediate(r));
