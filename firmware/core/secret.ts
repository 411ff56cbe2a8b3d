/**
 * Secrets (PIN digits, face frames, chip photo, embeddings) live in typed arrays owned by
 * one visit. `SecretBag` collects them and zeroes all of them in one place when the visit
 * ends, whatever the ending. A wiped bag refuses new secrets.
 */
export type SecretBytes = Uint8Array | Float32Array | Uint16Array | Int32Array;

export function wipe(bytes: SecretBytes): void {
  bytes.fill(0);
}

export class SecretBag {
  #items = new Set<SecretBytes>();
  #wiped = false;

  /** Registers a secret buffer and returns it, so `const pin = bag.hold(Buffer.alloc(4))`. */
  hold<T extends SecretBytes>(bytes: T): T {
    if (this.#wiped) {
      wipe(bytes);
      throw new Error('SecretBag already wiped: a secret outlived its visit');
    }
    this.#items.add(bytes);
    return bytes;
  }

  /** Zeroes one secret early and forgets it. */
  release(bytes: SecretBytes): void {
    wipe(bytes);
    this.#items.delete(bytes);
  }

  get size(): number {
    return this.#items.size;
  }

  get wiped(): boolean {
    return this.#wiped;
  }

  /** Zeroes every held secret. Idempotent. */
  wipeAll(): void {
    for (const b of this.#items) wipe(b);
    this.#items.clear();
    this.#wiped = true;
  }
}
