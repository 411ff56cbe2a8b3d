/**
 * The production camera: a UVC camera on `/dev/videoN` captured by one long-lived ffmpeg
 * (MJPEG by default: most UVC cameras reach 30 fps only in MJPEG), delivered as rgb24 at the
 * configured size. Built from the `hardware.camera` section of the configuration.
 */
import type { Logger } from '../../core/logger.ts';
import type { Clock } from '../../ports/clock.ts';
import { FfmpegFrameSource } from './ffmpeg-frame-source.ts';

export interface V4l2CameraSettings {
  readonly device: string;
  readonly width: number;
  readonly height: number;
  readonly fps: number;
  readonly inputFormat?: 'mjpeg' | 'yuyv422';
}

export function v4l2Camera(s: V4l2CameraSettings, clock: Clock, log: Logger): FfmpegFrameSource {
  return new FfmpegFrameSource({
    input: { kind: 'v4l2', device: s.device, inputFormat: s.inputFormat ?? 'mjpeg', captureWidth: s.width, captureHeight: s.height, fps: s.fps },
    output: { width: s.width, height: s.height },
    clock,
    log: log.child('camera'),
  });
}
