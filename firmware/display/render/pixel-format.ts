/**
 * RGBA → the framebuffer's own pixel layout, little-endian as Linux framebuffers store them:
 * RGB565 (u16: r5 g6 b5), XRGB8888 (bytes B G R X), XBGR8888 (bytes R G B X), RGB888 (bytes B G R).
 * Rows are `stride` bytes apart (padding zeroed). Optional rotation (0/90/180/270, clockwise) maps
 * the logical screen onto a panel mounted the other way.
 */
import type { DisplayGeometry, FramebufferFormat } from '../../ports/display.ts';
import { KaoreaderError } from '../../core/errors.ts';
import type { Rgba } from './rgba.ts';

export class FrameSizeError extends KaoreaderError {
  readonly code = 'FRAME_SIZE';
}

export type Rotation = 0 | 90 | 180 | 270;

export function bytesPerPixel(format: FramebufferFormat): number {
  return format === 'RGB565' ? 2 : format === 'RGB888' ? 3 : 4;
}

/** Size of the logical (unrotated) image a panel of `geometry` shows under `rotate`. */
export function logicalSize(geometry: DisplayGeometry, rotate: Rotation): { width: number; height: number } {
  return rotate === 90 || rotate === 270
    ? { width: geometry.height, height: geometry.width }
    : { width: geometry.width, height: geometry.height };
}

/** Source pixel index in the logical image for panel pixel (px, py). */
function sourceIndex(px: number, py: number, w: number, h: number, rotate: Rotation): number {
  switch (rotate) {
    case 0:
      return py * w + px;
    case 90:
      return (h - 1 - px) * w + py;
    case 180:
      return (h - 1 - py) * w + (w - 1 - px);
    case 270:
      return px * w + (w - 1 - py);
  }
}

export function convertFrame(src: Rgba, geometry: DisplayGeometry, rotate: Rotation = 0, out?: Buffer): Buffer {
  const want = logicalSize(geometry, rotate);
  if (src.width !== want.width || src.height !== want.height) {
    throw new FrameSizeError(`frame is ${src.width}×${src.height}, the panel wants ${want.width}×${want.height} (rotate ${rotate})`);
  }
  const bpp = bytesPerPixel(geometry.format);
  if (geometry.stride < geometry.width * bpp) throw new FrameSizeError(`stride ${geometry.stride} is shorter than a row`);
  const size = geometry.stride * geometry.height;
  const dst = out && out.length === size ? out : Buffer.alloc(size);
  const s = src.data;
  const { width: W, height: H, stride, format } = geometry;
  const fast32 =
    rotate === 0 &&
    (format === 'XRGB8888' || format === 'XBGR8888') &&
    stride % 4 === 0 &&
    dst.byteOffset % 4 === 0 &&
    s.byteOffset % 4 === 0;
  if (fast32) {
    const s32 = new Uint32Array(s.buffer, s.byteOffset, s.length >> 2);
    const d32 = new Uint32Array(dst.buffer, dst.byteOffset, dst.length >> 2);
    const rowWords = stride >> 2;
    const swap = format === 'XRGB8888';
    for (let y = 0; y < H; y++) {
      const si = y * W;
      const di = y * rowWords;
      for (let x = 0; x < W; x++) {
        const p = s32[si + x] as number; // bytes R G B A → little-endian word 0xAABBGGRR
        d32[di + x] = swap ? (((p & 0xff) << 16) | (p & 0xff00) | ((p >>> 16) & 0xff)) >>> 0 : (p & 0x00ffffff) >>> 0;
      }
    }
    return dst;
  }
  for (let py = 0; py < H; py++) {
    let d = py * stride;
    for (let px = 0; px < W; px++) {
      const i = sourceIndex(px, py, src.width, src.height, rotate) * 4;
      const r = s[i] as number;
      const g = s[i + 1] as number;
      const b = s[i + 2] as number;
      switch (format) {
        case 'RGB565': {
          const v = ((r & 0xf8) << 8) | ((g & 0xfc) << 3) | (b >> 3);
          dst[d] = v & 0xff;
          dst[d + 1] = v >> 8;
          d += 2;
          break;
        }
        case 'XRGB8888':
          dst[d] = b;
          dst[d + 1] = g;
          dst[d + 2] = r;
          dst[d + 3] = 0;
          d += 4;
          break;
        case 'XBGR8888':
          dst[d] = r;
          dst[d + 1] = g;
          dst[d + 2] = b;
          dst[d + 3] = 0;
          d += 4;
          break;
        case 'RGB888':
          dst[d] = b;
          dst[d + 1] = g;
          dst[d + 2] = r;
          d += 3;
          break;
      }
    }
  }
  return dst;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Inverse of `convertFrame` for rotation 0: device bytes → RGBA (simulator captures, tests). */
export function frameToRgba(frame: Uint8Array, geometry: DisplayGeometry): Rgba {
  const { width: W, height: H, stride, format } = geometry;
  const out = Buffer.alloc(W * H * 4);
  if ((format === 'XRGB8888' || format === 'XBGR8888') && stride === W * 4 && frame.byteOffset % 4 === 0 && LITTLE_ENDIAN) {
    // Whole pixels as 32-bit words: XRGB8888 is B,G,R,X in memory; RGBA wants R,G,B,A.
    const src = new Uint32Array(frame.buffer, frame.byteOffset, W * H);
    const dst = new Uint32Array(out.buffer, out.byteOffset, W * H);
    const swap = format === 'XRGB8888';
    for (let i = 0; i < dst.length; i++) {
      const v = src[i] as number;
      dst[i] = (swap ? ((v & 0xff) << 16) | (v & 0xff00) | ((v >>> 16) & 0xff) : v & 0xffffff) | 0xff000000;
    }
    return { data: out, width: W, height: H };
  }
  // One loop per layout (no per-pixel switch): a 1024×600 frame converts in a few ms.
  // [r, g, b] byte offsets within a pixel for the byte-per-channel layouts.
  const order =
    format === 'XRGB8888' ? [2, 1, 0, 4] : format === 'XBGR8888' ? [0, 1, 2, 4] : format === 'RGB888' ? [2, 1, 0, 3] : undefined;
  for (let y = 0; y < H; y++) {
    let i = y * stride;
    let o = y * W * 4;
    if (order) {
      const [ri, gi, bi, step] = order as [number, number, number, number];
      for (let x = 0; x < W; x++, i += step, o += 4) {
        out[o] = frame[i + ri] as number;
        out[o + 1] = frame[i + gi] as number;
        out[o + 2] = frame[i + bi] as number;
        out[o + 3] = 255;
      }
    } else {
      for (let x = 0; x < W; x++, i += 2, o += 4) {
        const v = (frame[i] as number) | ((frame[i + 1] as number) << 8);
        out[o] = Math.round((((v >> 11) & 0x1f) * 255) / 31);
        out[o + 1] = Math.round((((v >> 5) & 0x3f) * 255) / 63);
        out[o + 2] = Math.round(((v & 0x1f) * 255) / 31);
        out[o + 3] = 255;
      }
    }
  }
  return { data: out, width: W, height: H };
}
