/** Frames per second over a sliding window of the last capture times (bounded). */
export class FpsMeter {
  #times: number[] = [];
  constructor(readonly window = 30) {}

  tick(atMs: number): void {
    this.#times.push(atMs);
    if (this.#times.length > this.window) this.#times.shift();
  }

  fps(): number {
    const n = this.#times.length;
    if (n < 2) return 0;
    const span = (this.#times[n - 1] as number) - (this.#times[0] as number);
    return span > 0 ? ((n - 1) * 1000) / span : 0;
  }

  reset(): void {
    this.#times = [];
  }
}
