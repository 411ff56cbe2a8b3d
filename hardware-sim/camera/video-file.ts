/**
 * Simulated camera playing a video file in real time through the same streaming ffmpeg
 * capture the real camera uses (`-re`, optionally looping), so the parser, newest-frame slot
 * and reconnect logic run exactly as in production. Without `loop`, the capture ends at the
 * end of the file and the source replays it after its reconnect backoff (like a replug).
 */
import { FfmpegFrameSource } from '../../firmware/platform/camera/ffmpeg-frame-source.ts';
import type { Logger } from '../../firmware/core/logger.ts';
import type { Clock } from '../../firmware/ports/clock.ts';

export interface VideoFileOptions {
  readonly path: string;
  readonly width: number;
  readonly height: number;
  readonly clock: Clock;
  readonly log: Logger;
  readonly loop?: boolean;
  readonly fps?: number;
}

export function videoFileSource(o: VideoFileOptions): FfmpegFrameSource {
  const args = ['-re', ...(o.loop === false ? [] : ['-stream_loop', '-1']), '-i', o.path];
  return new FfmpegFrameSource({
    input: { kind: 'args', args, label: `video ${o.path}` },
    output: { width: o.width, height: o.height, ...(o.fps ? { fps: o.fps } : {}) },
    clock: o.clock,
    log: o.log,
  });
}
