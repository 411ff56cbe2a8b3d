/**
 * The visit/update lock: a visit and the switch to a new release (or a rollback) never
 * overlap. The visit loop calls `tryBeginVisit()` when a card is inserted (undefined means
 * "update in progress", show that screen); the agent calls `tryBeginUpdate()` before it
 * switches and restarts (undefined means a visit runs: try again later).
 */
export type Release = () => void;

export class UpdateLock {
  #visits = 0;
  #updating = false;

  get idle(): boolean {
    return this.#visits === 0 && !this.#updating;
  }

  get updating(): boolean {
    return this.#updating;
  }

  tryBeginVisit(): Release | undefined {
    if (this.#updating) return undefined;
    this.#visits++;
    let done = false;
    return () => {
      if (!done) {
        done = true;
        this.#visits--;
      }
    };
  }

  tryBeginUpdate(): Release | undefined {
    if (this.#visits > 0 || this.#updating) return undefined;
    this.#updating = true;
    let done = false;
    return () => {
      if (!done) {
        done = true;
        this.#updating = false;
      }
    };
  }
}
