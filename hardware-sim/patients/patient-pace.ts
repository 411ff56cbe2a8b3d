/**
 * How fast a simulated patient acts on what the screen shows: a human delay after a screen is
 * drawn (uniform in [minMs, maxMs], seeded), digits typed at half that, and now and then a tap
 * that comes too early, before the screen it is meant for is drawn (`earlyProbability`), where
 * the patient remembers the button from an earlier time.
 */
export interface PatientPace {
  readonly minMs: number;
  readonly maxMs: number;
  readonly earlyProbability: number;
  readonly seed: number;
}

/** A quick but human patient: 250–700 ms to react, one tap in seven too early. */
export const HUMAN_PACE: PatientPace = { minMs: 250, maxMs: 700, earlyProbability: 1 / 7, seed: 1 };

/** Seeded draws for one patient (mulberry32). */
export class PaceDice {
  #a: number;
  constructor(readonly pace: PatientPace) {
    this.#a = pace.seed >>> 0;
  }

  next(): number {
    this.#a = (this.#a + 0x6d2b79f5) >>> 0;
    let t = this.#a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Milliseconds to react to a screen (`scale` 0.5 for the next digit of a PIN). */
  delayMs(scale = 1): number {
    return Math.round((this.pace.minMs + this.next() * (this.pace.maxMs - this.pace.minMs)) * scale);
  }

  early(): boolean {
    return this.next() < this.pace.earlyProbability;
  }
}
