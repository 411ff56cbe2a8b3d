/** Every hardware and service port of the reader, for the composition root to fill in. */
import type { CardFrontScanner } from './card-front-scanner.ts';
import type { CardReader } from './card-reader.ts';
import type { Clock } from './clock.ts';
import type { Display } from './display.ts';
import type { FrameSource } from './frame-source.ts';
import type { Gpio } from './gpio.ts';
import type { Keypad } from './keypad.ts';
import type { Store } from './store.ts';
import type { TouchInput } from './touch-input.ts';

export interface Hardware {
  readonly clock: Clock;
  readonly cardReader: CardReader;
  readonly camera: FrameSource;
  readonly cardFront: CardFrontScanner;
  readonly display: Display;
  readonly touch: TouchInput;
  readonly keypad: Keypad;
  readonly gpio: Gpio;
  readonly store: Store;
}

export type { CardFrontScanner, CardReader, Clock, Display, FrameSource, Gpio, Keypad, Store, TouchInput };
