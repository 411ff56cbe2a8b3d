/** An in-memory Store (fuzzing and benches: counters without fsync per command). */
import type { Store } from '../../firmware/ports/store.ts';

export class MemoryStore implements Store {
  readonly #map = new Map<string, string>();
  get<T>(key: string): Promise<T | undefined> {
    const v = this.#map.get(key);
    return Promise.resolve(v === undefined ? undefined : (JSON.parse(v) as T));
  }
  set(key: string, value: unknown): Promise<void> {
    this.#map.set(key, JSON.stringify(value));
    return Promise.resolve();
  }
  delete(key: string): Promise<void> {
    this.#map.delete(key);
    return Promise.resolve();
  }
}
