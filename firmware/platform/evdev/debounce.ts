/**
 * Tap debouncing: a lift counts as a tap when the finger was down at least `minPressMs` (panel
 * noise is shorter) and at least `minIntervalMs` passed since the last accepted tap (a bouncing
 * or double contact must not press two buttons: the second would land on the next screen).
 */
import type { Lift } from './contact-tracker.ts';

export interface DebounceOptions {
  readonly minPressMs: number;
  readonly minIntervalMs: number;
}

export const DEFAULT_DEBOUNCE: DebounceOptions = { minPressMs: 15, minIntervalMs: 250 };

export class Debouncer {
  #last = -Infinity;
  constructor(readonly options: DebounceOptions = DEFAULT_DEBOUNCE) {}

  accept(lift: Lift): boolean {
    if (lift.upAt - lift.downAt < this.options.minPressMs) return false;
    if (lift.upAt - this.#last < this.options.minIntervalMs) return false;
    this.#last = lift.upAt;
    return true;
  }
}
