/**
 * Fault injection for the simulated reader: the card pulled mid-command, a slow card, a garbled
 * or truncated response, a wrong status word. Faults are scheduled on upcoming commands.
 */
export type CardFault =
  | { readonly kind: 'pull' }
  | { readonly kind: 'slow'; readonly delayMs: number }
  | { readonly kind: 'garble'; readonly seed?: number }
  | { readonly kind: 'truncate'; readonly keep: number }
  | { readonly kind: 'wrong-sw'; readonly sw: number };

interface Scheduled {
  fault: CardFault;
  skip: number;
  times: number;
}

export class FaultPlan {
  readonly #queue: Scheduled[] = [];

  /** Applies `fault` to the command `after` commands from now (0 = the next), `times` times. */
  add(fault: CardFault, options: { after?: number; times?: number } = {}): void {
    this.#queue.push({ fault, skip: options.after ?? 0, times: options.times ?? 1 });
  }

  clear(): void {
    this.#queue.length = 0;
  }

  /** Called once per command: the faults that hit it. */
  take(): CardFault[] {
    const hit: CardFault[] = [];
    for (const s of this.#queue) {
      if (s.skip > 0) s.skip--;
      else if (s.times > 0) {
        s.times--;
        hit.push(s.fault);
      }
    }
    for (let i = this.#queue.length - 1; i >= 0; i--) if ((this.#queue[i]?.times ?? 0) <= 0) this.#queue.splice(i, 1);
    return hit;
  }
}

/** Response mutations: garble flips bytes deterministically, truncate keeps a prefix, wrong-sw swaps SW. */
export function mutateResponse(response: Uint8Array, fault: CardFault): Uint8Array {
  switch (fault.kind) {
    case 'garble': {
      const out = response.slice();
      let x = (fault.seed ?? 0x2545f491) >>> 0;
      for (let i = 0; i < out.length; i++) {
        x ^= x << 13;
        x >>>= 0;
        x ^= x >>> 17;
        x ^= x << 5;
        x >>>= 0;
        if ((x & 3) === 0) out[i] = (out[i] ?? 0) ^ ((x >>> 8) & 0xff);
      }
      return out;
    }
    case 'truncate':
      return response.slice(0, Math.max(0, Math.min(fault.keep, response.length)));
    case 'wrong-sw': {
      const out = response.slice();
      if (out.length >= 2) {
        out[out.length - 2] = fault.sw >> 8;
        out[out.length - 1] = fault.sw & 0xff;
      }
      return out;
    }
    default:
      return response;
  }
}
