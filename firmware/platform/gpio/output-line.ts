/**
 * One output the reader drives (an LED or the buzzer) on whichever kernel interface the board
 * has (led-class-line.ts, gpiod-line.ts, rpio-line.ts). Same semantics as the Gpio port: `set`
 * never throws (a dead LED must not stop a visit: failures are logged by the line) and the
 * last value wins; `close()` turns the output off and releases it; idempotent.
 */
export interface OutputLine {
  /** What doctor and the logs call it: `led-class:kaoreader-green`, `gpiod:GPIO17`, `rpio:pin 11`. */
  readonly name: string;
  set(on: boolean): void;
  close(): Promise<void>;
}

/** The reader's outputs; an absent one is not driven. */
export interface OutputLines {
  readonly green?: OutputLine | undefined;
  readonly red?: OutputLine | undefined;
  readonly buzzer?: OutputLine | undefined;
}
