/**
 * The camera's newest-frame hand-off: a NewestSlot of frames that zeroes every frame it lets go
 * of untaken (a frame is a face image).
 */
import { NewestSlot } from '../../core/newest-slot.ts';
import type { Frame } from '../../ports/frame-source.ts';

export class NewestFrameSlot extends NewestSlot<Frame> {
  constructor() {
    super({ discard: (f) => f.data.fill(0), what: 'frame wait' });
  }
}
