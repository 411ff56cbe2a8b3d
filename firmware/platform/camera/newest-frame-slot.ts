/**
 * The camera's newest-frame hand-off: a NewestSlot of frames that zeroes every frame it lets go
 * of untaken (a frame is a face image), after showing it to the consumer's `skipped` glance
 * (FramesOptions) while one is set.
 */
import { NewestSlot } from '../../core/newest-slot.ts';
import type { Frame } from '../../ports/frame-source.ts';

export class NewestFrameSlot extends NewestSlot<Frame> {
  /** The consumer's glance at frames it does not take (set for one `frames()` iteration). */
  readonly watch: { skipped?: ((frame: Frame) => void) | undefined };

  constructor() {
    const watch: { skipped?: ((frame: Frame) => void) | undefined } = {};
    super({
      discard: (f) => {
        try {
          watch.skipped?.(f);
        } finally {
          f.data.fill(0);
        }
      },
      what: 'frame wait',
    });
    this.watch = watch;
  }
}
