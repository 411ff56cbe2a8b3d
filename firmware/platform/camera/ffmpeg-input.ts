/**
 * What the capture process reads and how its command line is built. A V4L2 camera
 * (`/dev/videoN`, MJPEG or raw YUYV), or a Raspberry Pi camera module through libcamera
 * (`rpicam-vid` writes raw YUV420 frames into ffmpeg's stdin: the feeder) in production; any
 * ffmpeg input (a file, `-f lavfi`) for the simulator and for tests, which then exercise the
 * very same streaming code. The output is always raw rgb24 (or gray) at a fixed size on stdout,
 * so frames have a fixed byte length.
 */
import { CameraConfigError } from './errors.ts';

export interface V4l2Input {
  readonly kind: 'v4l2';
  /** e.g. `/dev/video0`. */
  readonly device: string;
  /** What to ask the camera for: MJPEG (most UVC cameras at 30 fps) or raw YUYV. */
  readonly inputFormat: 'mjpeg' | 'yuyv422';
  readonly captureWidth: number;
  readonly captureHeight: number;
  readonly fps: number;
}

/** Any ffmpeg input, given as the arguments that come before the output (`-re -i file.mp4`). */
export interface ArgsInput {
  readonly kind: 'args';
  readonly args: readonly string[];
  /** Shown in logs and status instead of the arguments. */
  readonly label: string;
}

/**
 * A camera module on the Pi's CSI connector (libcamera): `rpicam-vid` (Raspberry Pi OS package
 * rpicam-apps) captures raw YUV420 at the capture size, scaled by the Pi's ISP; ffmpeg reads
 * it from stdin. Widths that are a multiple of 64 leave no row padding in its output.
 */
export interface LibcameraInput {
  readonly kind: 'libcamera';
  /** Index in `rpicam-vid --list-cameras`. */
  readonly camera: number;
  readonly captureWidth: number;
  readonly captureHeight: number;
  readonly fps: number;
  /** Default: `rpicam-vid` on PATH. */
  readonly rpicamPath?: string;
}

export type FfmpegInput = V4l2Input | LibcameraInput | ArgsInput;

/** A process whose stdout is ffmpeg's stdin (the libcamera capture). */
export interface Feeder {
  readonly cmd: string;
  readonly args: readonly string[];
}

export interface OutputShape {
  readonly width: number;
  readonly height: number;
  /** Optional output rate limit (ffmpeg `fps` filter). */
  readonly fps?: number;
  /** rgb24 (default, the face camera) or gray (one 8-bit still for the card-front OCR). */
  readonly pixelFormat?: 'rgb24' | 'gray';
  /** Stop after this many frames (a still); default: stream until killed. */
  readonly frames?: number;
}

function checkSize(what: string, n: number): void {
  if (!Number.isInteger(n) || n < 16 || n > 4096) throw new CameraConfigError(`${what} must be an integer 16…4096, got ${n}`);
}

export function inputLabel(input: FfmpegInput): string {
  switch (input.kind) {
    case 'v4l2':
      return `${input.device} (${input.inputFormat} ${input.captureWidth}x${input.captureHeight}@${input.fps})`;
    case 'libcamera':
      return `libcamera camera ${input.camera} (rpicam-vid yuv420 ${input.captureWidth}x${input.captureHeight}@${input.fps})`;
    case 'args':
      return input.label;
  }
}

function checkCapture(input: { captureWidth: number; captureHeight: number; fps: number }): void {
  checkSize('capture width', input.captureWidth);
  checkSize('capture height', input.captureHeight);
  if (!(input.fps > 0 && input.fps <= 120)) throw new CameraConfigError(`fps must be in (0, 120], got ${input.fps}`);
}

/** The process feeding ffmpeg's stdin, for inputs that have one. */
export function feederOf(input: FfmpegInput): Feeder | undefined {
  if (input.kind !== 'libcamera') return undefined;
  checkCapture(input);
  if (!Number.isInteger(input.camera) || input.camera < 0 || input.camera > 15)
    throw new CameraConfigError(`libcamera camera index must be 0…15, got ${input.camera}`);
  return {
    cmd: input.rpicamPath ?? 'rpicam-vid',
    args: [
      '--camera',
      String(input.camera),
      '--timeout',
      '0',
      '--nopreview',
      '--codec',
      'yuv420',
      '--width',
      String(input.captureWidth),
      '--height',
      String(input.captureHeight),
      '--framerate',
      String(input.fps),
      '--flush',
      '--output',
      '-',
    ],
  };
}

/** The full ffmpeg argument vector for one capture process. */
export function ffmpegArgs(input: FfmpegInput, out: OutputShape): string[] {
  checkSize('output width', out.width);
  checkSize('output height', out.height);
  const head = ['-hide_banner', '-loglevel', 'error', '-nostdin'];
  let inArgs: string[];
  if (input.kind === 'v4l2') {
    if (!/^\/dev\/video\d+$/.test(input.device) && !input.device.startsWith('/dev/v4l/'))
      throw new CameraConfigError(`not a V4L2 device path: ${input.device}`);
    checkCapture(input);
    inArgs = [
      '-fflags',
      'nobuffer',
      '-flags',
      'low_delay',
      '-f',
      'v4l2',
      '-input_format',
      input.inputFormat,
      '-framerate',
      String(input.fps),
      '-video_size',
      `${input.captureWidth}x${input.captureHeight}`,
      '-i',
      input.device,
    ];
  } else if (input.kind === 'libcamera') {
    checkCapture(input);
    inArgs = [
      '-f',
      'rawvideo',
      '-pix_fmt',
      'yuv420p',
      '-video_size',
      `${input.captureWidth}x${input.captureHeight}`,
      '-framerate',
      String(input.fps),
      '-i',
      'pipe:0',
    ];
  } else {
    if (!input.args.includes('-i')) throw new CameraConfigError('an ffmpeg input spec needs "-i"');
    inArgs = [...input.args];
  }
  const filters = [`scale=${out.width}:${out.height}`];
  if (out.fps !== undefined) filters.push(`fps=${out.fps}`);
  const count = out.frames !== undefined ? ['-frames:v', String(out.frames)] : [];
  return [
    ...head,
    ...inArgs,
    '-an',
    '-vf',
    filters.join(','),
    ...count,
    '-pix_fmt',
    out.pixelFormat ?? 'rgb24',
    '-f',
    'rawvideo',
    'pipe:1',
  ];
}
