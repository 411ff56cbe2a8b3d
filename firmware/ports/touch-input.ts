/**
 * Touch input port: taps on the panel in display coordinates (already calibrated and rotated).
 *
 * Semantics: `taps()` yields one event per finger lift (debounced) until `close()` or `signal`;
 * an unplugged panel ends nothing: the driver reconnects and taps resume. Hit-testing against
 * buttons is the screen layer's job, not the port's.
 */
export interface Tap {
  readonly x: number;
  readonly y: number;
  /** Monotonic ms. */
  readonly at: number;
}

export interface TouchInput {
  taps(signal?: AbortSignal): AsyncIterable<Tap>;
  close(): Promise<void>;
}
