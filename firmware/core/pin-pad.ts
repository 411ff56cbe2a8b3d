/**
 * PIN pad state: the digit order, reshuffled with a CSPRNG (crypto.randomInt, Fisher–Yates) every
 * time the pad is displayed, and the digits entered so far in a Buffer that is zeroized on clear,
 * cancel, completion and wipe. Nothing here logs; digits never leave except through `take()`.
 */
import { randomInt } from 'node:crypto';
import { wipe } from './secret.ts';

export type RandomInt = (max: number) => number;

/** A uniformly random permutation of 0–9 (Fisher–Yates with an unbiased CSPRNG). */
export function shuffledDigits(random: RandomInt = randomInt): number[] {
  const d = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  for (let i = d.length - 1; i > 0; i--) {
    const j = random(i + 1);
    [d[i], d[j]] = [d[j] as number, d[i] as number];
  }
  return d;
}

export class PinPad {
  readonly #digits: Buffer;
  #count = 0;
  #order: number[] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 0];

  constructor(
    readonly length = 4,
    readonly random: RandomInt = randomInt,
  ) {
    this.#digits = Buffer.alloc(length);
  }

  get order(): readonly number[] {
    return this.#order;
  }
  get entered(): number {
    return this.#count;
  }
  get complete(): boolean {
    return this.#count === this.length;
  }

  /** New digit positions; call before every display of the pad. */
  shuffle(): readonly number[] {
    this.#order = shuffledDigits(this.random);
    return this.#order;
  }

  /** Adds a digit; ignored when complete or not a digit. Returns whether it was taken. */
  press(digit: number): boolean {
    if (this.complete || !Number.isInteger(digit) || digit < 0 || digit > 9) return false;
    this.#digits[this.#count++] = 0x30 + digit; // ASCII, the form VERIFY sends
    return true;
  }

  clear(): void {
    wipe(this.#digits);
    this.#count = 0;
  }

  /** The entered PIN as ASCII digits in a new Buffer the caller owns and must wipe; the pad is cleared. */
  take(): Buffer {
    const pin = Buffer.from(this.#digits.subarray(0, this.#count));
    this.clear();
    return pin;
  }

  wipe(): void {
    this.clear();
  }
}
