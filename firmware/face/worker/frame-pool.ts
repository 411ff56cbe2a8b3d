/**
 * The client's frame buffers, shared with the face worker: each frame is copied into one of them
 * instead of a fresh ArrayBuffer being transferred per frame. A transferred 0.9 MB buffer is
 * external memory of the worker's isolate, and ≈ 100 of them a second made V8 run a full
 * mark-compact in the worker every ≈ 0.5 s (5–13 ms each, landing in the frames' pipeline time);
 * a shared buffer is allocated once and its pages stay mapped and warm in the worker.
 *
 * A buffer lent to request `id` comes back once a reply to a *later* request arrives: the worker
 * answers in order and zeroes a frame right after posting its reply, in the same turn, so a later
 * reply proves the zeroing done (request `id`'s own reply does not: the client could write the
 * next frame while the worker still zeroes it). Sizes change rarely (one camera mode): buffers of
 * another size are dropped. At most MAX_FREE wait; a lent one is held until it comes back.
 */
const MAX_FREE = 2;

export class FramePool {
  readonly #free: SharedArrayBuffer[] = [];
  /** Lent buffers by the id of the request carrying them, in request order. */
  readonly #lent = new Map<number, SharedArrayBuffer>();

  /** A buffer of `byteLength` bytes (zeroed: a returned one was zeroed by the worker) for request `id`. */
  lend(id: number, byteLength: number): SharedArrayBuffer {
    let buffer: SharedArrayBuffer | undefined;
    while (!buffer && this.#free.length > 0) {
      const b = this.#free.pop()!;
      if (b.byteLength === byteLength) buffer = b;
    }
    buffer ??= new SharedArrayBuffer(byteLength);
    this.#lent.set(id, buffer);
    return buffer;
  }

  /** A reply to request `id` arrived: every buffer lent to an earlier request has been zeroed by the worker. */
  answered(id: number): void {
    for (const [k, b] of this.#lent) {
      if (k >= id) break;
      this.#lent.delete(k);
      if (this.#free.length < MAX_FREE) this.#free.push(b);
    }
  }

  /** The worker is gone: nothing lent comes back through it, so what it may not have zeroed is zeroed here. */
  clear(): void {
    for (const b of this.#lent.values()) new Uint8Array(b).fill(0);
    this.#lent.clear();
    this.#free.length = 0;
  }
}
