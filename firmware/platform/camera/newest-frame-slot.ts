/**
 * The hand-off between a producer running at camera speed and one consumer running at its own
 * speed: a single slot holding the newest frame. A frame that is replaced before the consumer
 * took it is counted in `dropped` and zeroed (it is a face image). Never queues.
 */
import { CancelledError } from '../../core/errors.ts';
import type { Frame } from '../../ports/frame-source.ts';

export class NewestFrameSlot {
  #frame: Frame | undefined;
  #waiter: ((f: Frame | undefined) => void) | undefined;
  #closed = false;
  dropped = 0;

  put(frame: Frame): void {
    if (this.#closed) {
      frame.data.fill(0);
      return;
    }
    const w = this.#waiter;
    if (w) {
      this.#waiter = undefined;
      w(frame);
      return;
    }
    if (this.#frame) {
      this.#frame.data.fill(0);
      this.dropped++;
    }
    this.#frame = frame;
  }

  /** The newest frame, waiting for one if needed; `undefined` once closed. */
  take(signal?: AbortSignal): Promise<Frame | undefined> {
    if (this.#frame) {
      const f = this.#frame;
      this.#frame = undefined;
      return Promise.resolve(f);
    }
    if (this.#closed) return Promise.resolve(undefined);
    if (signal?.aborted) return Promise.reject(new CancelledError('frame wait', { cause: signal.reason }));
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        this.#waiter = undefined;
        reject(new CancelledError('frame wait', { cause: signal?.reason }));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiter = (f) => {
        signal?.removeEventListener('abort', onAbort);
        resolve(f);
      };
    });
  }

  /** Ends every wait and zeroes a frame nobody took. */
  close(): void {
    this.#closed = true;
    this.#frame?.data.fill(0);
    this.#frame = undefined;
    const w = this.#waiter;
    this.#waiter = undefined;
    w?.(undefined);
  }

  get closed(): boolean {
    return this.#closed;
  }
}
