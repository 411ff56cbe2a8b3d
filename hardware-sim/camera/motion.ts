/**
 * Smooth pseudo-random motion: each parameter is a sum of three sinusoids with seeded
 * frequencies and phases, so a sequence drifts naturally (no jumps) and is reproducible.
 */
export class SmoothPath {
  readonly #terms: { amp: number; freq: number; phase: number }[] = [];

  /** `amplitude` is the peak deviation; `hz` the typical frequency. */
  constructor(
    rand: () => number,
    readonly amplitude: number,
    hz: number,
  ) {
    const weights = [0.55, 0.3, 0.15];
    for (const w of weights) this.#terms.push({ amp: amplitude * w, freq: hz * (0.5 + rand()), phase: rand() * 2 * Math.PI });
  }

  at(seconds: number): number {
    let v = 0;
    for (const t of this.#terms) v += t.amp * Math.sin(2 * Math.PI * t.freq * seconds + t.phase);
    return v;
  }
}
