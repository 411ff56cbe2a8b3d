/**
 * The head turns a simulated subject makes (a live face, or an attacker turning a print or a
 * phone on cue): each turns by its yaw and back as a half sine over its duration. Bounded: the
 * oldest turn is forgotten beyond `max`.
 */
interface Turn {
  readonly start: number;
  readonly dur: number;
  readonly yaw: number;
}

export class TurnSchedule {
  readonly #turns: Turn[] = [];

  constructor(private readonly max: number) {}

  /** A turn by `yawDeg` and back, starting at `startSec`, over `durationSec`. */
  add(startSec: number, yawDeg: number, durationSec: number): void {
    this.#turns.push({ start: startSec, dur: durationSec, yaw: (yawDeg * Math.PI) / 180 });
    if (this.#turns.length > this.max) this.#turns.shift();
  }

  /** The yaw in radians at `t` seconds (the turns under way summed). */
  yawAt(t: number): number {
    let yaw = 0;
    for (const turn of this.#turns)
      if (t >= turn.start && t <= turn.start + turn.dur) yaw += turn.yaw * Math.sin((Math.PI * (t - turn.start)) / turn.dur);
    return yaw;
  }
}
