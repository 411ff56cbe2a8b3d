/** Typed errors of the camera drivers. */
import { KaoreaderError } from '../../core/errors.ts';

/** A camera configuration that cannot work (bad size, bad input spec). */
export class CameraConfigError extends KaoreaderError {
  readonly code = 'CAMERA_CONFIG';
}

/** `frames()` called while another consumer is iterating (the port allows one at a time). */
export class FrameSourceBusyError extends KaoreaderError {
  readonly code = 'FRAME_SOURCE_BUSY';
  constructor() {
    super('frames() is already being iterated by another consumer');
  }
}
