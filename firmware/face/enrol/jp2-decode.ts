/**
 * Decodes the chip's face photo (greyscale JPEG 2000, JP2 container or raw codestream) with
 * OpenJPEG compiled to wasm (@cornerstonejs/codec-openjpeg). The codec's own log lines are
 * swallowed (they would go to stdout). Bad input is a typed error; the codec's buffers are
 * zeroed after each decode since they held a face.
 */
import { createRequire } from 'node:module';
import { KaoreaderError } from '../../core/errors.ts';
import type { Raster } from '../pipeline/raster.ts';

export class PhotoDecodeError extends KaoreaderError {
  readonly code = 'PHOTO_DECODE_FAILED';
}

interface FrameInfo {
  width: number;
  height: number;
  bitsPerSample: number;
  componentCount: number;
  isSigned: boolean;
}
interface J2KDecoder {
  getEncodedBuffer(length: number): Uint8Array;
  getDecodedBuffer(): Uint8Array;
  decode(): void;
  getFrameInfo(): FrameInfo;
  delete?(): void;
}
interface OpenJpegModule {
  J2KDecoder: new () => J2KDecoder;
}

let codec: Promise<OpenJpegModule> | undefined;

function loadCodec(): Promise<OpenJpegModule> {
  codec ??= (async () => {
    const require = createRequire(import.meta.url);
    const factory = require('@cornerstonejs/codec-openjpeg/wasmjs') as (opts: object) => Promise<OpenJpegModule>;
    return factory({ print: () => undefined, printErr: () => undefined });
  })();
  return codec;
}

const JP2_SIGNATURE = [0x00, 0x00, 0x00, 0x0c, 0x6a, 0x50, 0x20, 0x20];
const J2K_SOC = [0xff, 0x4f, 0xff, 0x51];
const MAX_BYTES = 1 << 20;
const MAX_SIDE = 2000;

/** JP2 or J2K bytes → 8-bit grey (colour photos are converted to luma). */
export async function decodeJpeg2000(bytes: Uint8Array): Promise<Raster> {
  const isJp2 = JP2_SIGNATURE.every((b, i) => bytes[i] === b);
  const isJ2k = J2K_SOC.every((b, i) => bytes[i] === b);
  if (!isJp2 && !isJ2k) throw new PhotoDecodeError('not a JPEG 2000 file (no JP2 signature or SOC marker)');
  if (bytes.length > MAX_BYTES) throw new PhotoDecodeError(`photo of ${bytes.length} bytes is implausibly large`);
  const m = await loadCodec();
  const decoder = new m.J2KDecoder();
  try {
    const input = decoder.getEncodedBuffer(bytes.length);
    input.set(bytes);
    try {
      decoder.decode();
    } catch (cause) {
      throw new PhotoDecodeError('JPEG 2000 codestream is corrupt', { cause });
    } finally {
      input.fill(0);
    }
    const info = decoder.getFrameInfo();
    const { width, height, componentCount: ch, bitsPerSample: bits } = info;
    if (width < 16 || height < 16 || width > MAX_SIDE || height > MAX_SIDE)
      throw new PhotoDecodeError(`photo size ${width}×${height} out of range`);
    if (ch !== 1 && ch !== 3) throw new PhotoDecodeError(`${ch} colour components unsupported`);
    const raw = decoder.getDecodedBuffer();
    const bytesPerSample = bits > 8 ? 2 : 1;
    if (raw.length < width * height * ch * bytesPerSample) throw new PhotoDecodeError('decoded buffer too short');
    const out = new Uint8Array(width * height);
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    const sample = (i: number): number => (bytesPerSample === 1 ? raw[i]! : view.getUint16(i * 2, true) >> (bits - 8));
    for (let p = 0; p < width * height; p++) {
      // Colour codestreams come back interleaved (RGBRGB…); the chip photo itself is grey.
      out[p] = ch === 1 ? sample(p) : Math.round(0.299 * sample(p * 3) + 0.587 * sample(p * 3 + 1) + 0.114 * sample(p * 3 + 2));
    }
    raw.fill(0);
    return { width, height, channels: 1, data: out };
  } finally {
    decoder.delete?.();
  }
}
