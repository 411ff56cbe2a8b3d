/**
 * The production face camera from the `hardware.camera` section: a UVC camera on `/dev/videoN`
 * (V4L2, MJPEG by default: most UVC cameras reach 30 fps only in MJPEG), or a Pi camera module
 * through libcamera (`source: libcamera`, rpicam-vid), both captured by one long-lived ffmpeg
 * and delivered as rgb24 at the configured size.
 */
import type { CameraConfig } from '../../config/sections/hardware.ts';
import type { Logger } from '../../core/logger.ts';
import type { Clock } from '../../ports/clock.ts';
import { FfmpegFrameSource } from './ffmpeg-frame-source.ts';
import type { FfmpegInput } from './ffmpeg-input.ts';

export interface V4l2CameraSettings {
  readonly device: string;
  readonly width: number;
  readonly height: number;
  readonly fps: number;
  readonly inputFormat?: 'mjpeg' | 'yuyv422';
}

export function v4l2Camera(s: V4l2CameraSettings, clock: Clock, log: Logger): FfmpegFrameSource {
  return new FfmpegFrameSource({
    input: {
      kind: 'v4l2',
      device: s.device,
      inputFormat: s.inputFormat ?? 'mjpeg',
      captureWidth: s.width,
      captureHeight: s.height,
      fps: s.fps,
    },
    output: { width: s.width, height: s.height },
    clock,
    log: log.child('camera'),
  });
}

export function cameraFromConfig(c: CameraConfig, clock: Clock, log: Logger): FfmpegFrameSource {
  if (c.source === 'v4l2') return v4l2Camera(c, clock, log);
  const input: FfmpegInput = { kind: 'libcamera', camera: c.libcameraIndex, captureWidth: c.width, captureHeight: c.height, fps: c.fps };
  return new FfmpegFrameSource({ input, output: { width: c.width, height: c.height }, clock, log: log.child('camera') });
}
