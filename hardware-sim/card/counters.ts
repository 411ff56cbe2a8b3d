/**
 * Retry counters of one virtual card (PIN, 照合番号B…), persisted through the Store port so a
 * blocked card stays blocked across restarts, like the chip.
 */
import type { Store } from '../../firmware/ports/store.ts';

export class RetryCounters {
  readonly #cache = new Map<string, number>();
  constructor(
    readonly cardId: string,
    readonly store: Store,
  ) {}

  #key(name: string): string {
    return `simcard-${this.cardId}-${name}`.replace(/[^a-z0-9._-]/gi, '_');
  }

  async left(name: string, limit: number): Promise<number> {
    const cached = this.#cache.get(name);
    if (cached !== undefined) return cached;
    const stored = await this.store.get<number>(this.#key(name));
    const v = typeof stored === 'number' && Number.isInteger(stored) && stored >= 0 && stored <= limit ? stored : limit;
    this.#cache.set(name, v);
    return v;
  }

  async set(name: string, value: number): Promise<void> {
    this.#cache.set(name, value);
    await this.store.set(this.#key(name), value);
  }

  /** Sim-only: back to the limit (a municipal-office reset). */
  async reset(name: string): Promise<void> {
    this.#cache.delete(name);
    await this.store.delete(this.#key(name));
  }
}
