/**
 * The `frames()` iterator shared by every FrameSource built on a NewestFrameSlot: one consumer
 * at a time, newest frame on each step (those it skips shown to `options.skipped`), ends when the
 * slot closes, CancelledError on `signal`.
 */
import { throwIfAborted } from '../../core/errors.ts';
import type { Frame, FramesOptions } from '../../ports/frame-source.ts';
import { FrameSourceBusyError } from './errors.ts';
import type { NewestFrameSlot } from './newest-frame-slot.ts';

export class SingleConsumer {
  #busy = false;

  async *iterate(
    slot: NewestFrameSlot,
    signal: AbortSignal | undefined,
    onStart?: () => void,
    options: FramesOptions = {},
  ): AsyncGenerator<Frame> {
    if (this.#busy) throw new FrameSourceBusyError();
    this.#busy = true;
    slot.watch.skipped = options.skipped;
    try {
      onStart?.();
      while (true) {
        throwIfAborted(signal, 'frame wait');
        const f = await slot.take(signal);
        if (!f) return;
        yield f;
      }
    } finally {
      slot.watch.skipped = undefined;
      this.#busy = false;
    }
  }
}
