/**
 * The Gpio port over output lines (output-line.ts), whatever drives them: green and red LEDs
 * (amber = both, blue shown as green: the reader has two colours), blinking and beeps on the
 * injected clock. A line left out is simply not driven.
 */
import type { Clock, TimerHandle } from '../../ports/clock.ts';
import type { Gpio, GpioState, LedColour, LedPattern } from '../../ports/gpio.ts';
import type { OutputLine, OutputLines } from './output-line.ts';

const BLINK_MS = 500;
const BEEP_MS: Record<'ok' | 'error' | 'attention', number> = { ok: 80, error: 400, attention: 200 };

export class LineGpio implements Gpio {
  #state: GpioState = { led: 'off', pattern: 'steady', beeps: 0 };
  #blink: TimerHandle | undefined;
  #beep: TimerHandle | undefined;
  #lit = false;
  #closed = false;

  constructor(
    private readonly lines: OutputLines,
    private readonly clock: Clock,
  ) {
    for (const l of this.#all()) l.set(false);
  }

  /** The driven lines' names (doctor). */
  get names(): string[] {
    return this.#all().map((l) => l.name);
  }

  #all(): OutputLine[] {
    return [this.lines.green, this.lines.red, this.lines.buzzer].filter((l): l is OutputLine => l !== undefined);
  }

  #write(line: OutputLine | undefined, on: boolean): void {
    if (line && !this.#closed) line.set(on);
  }

  #drive(on: boolean): void {
    const { led } = this.#state;
    this.#write(this.lines.green, on && (led === 'green' || led === 'amber' || led === 'blue'));
    this.#write(this.lines.red, on && (led === 'red' || led === 'amber'));
    this.#lit = on;
  }

  setLed(colour: LedColour, pattern: LedPattern = 'steady'): void {
    this.#blink?.cancel();
    this.#blink = undefined;
    this.#state = { ...this.#state, led: colour, pattern };
    this.#drive(colour !== 'off');
    if (pattern === 'blink' && colour !== 'off') {
      const toggle = (): void => {
        this.#drive(!this.#lit);
        this.#blink = this.clock.setTimeout(toggle, BLINK_MS);
      };
      this.#blink = this.clock.setTimeout(toggle, BLINK_MS);
    }
  }

  beep(kind: 'ok' | 'error' | 'attention'): void {
    this.#state = { ...this.#state, beeps: this.#state.beeps + 1 };
    this.#beep?.cancel();
    this.#write(this.lines.buzzer, true);
    this.#beep = this.clock.setTimeout(() => this.#write(this.lines.buzzer, false), BEEP_MS[kind]);
  }

  state(): GpioState {
    return this.#state;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#blink?.cancel();
    this.#beep?.cancel();
    this.#drive(false);
    this.#write(this.lines.buzzer, false);
    this.#closed = true;
    this.#state = { led: 'off', pattern: 'steady', beeps: this.#state.beeps };
    for (const l of this.#all()) await l.close();
  }
}
