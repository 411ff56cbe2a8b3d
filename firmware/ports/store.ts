/**
 * Store port: a small durable key-value store for counters, pairing state, settings and the
 * facility's consent history. `set` resolves only after the value is on disk (fsync'd) and a
 * power cut leaves the old or the new value, never a torn one.
 */
export interface Store {
  get<T>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown): Promise<void>;
  delete(key: string): Promise<void>;
}

/** Opens the Store kept in folder `dir` (the composition root passes the file store). */
export type OpenStore = (dir: string) => Store;
