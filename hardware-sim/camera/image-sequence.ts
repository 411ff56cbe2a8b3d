/**
 * Simulated camera playing a sequence of still images (recorded frames, test fixtures) at
 * `fps` on the injected Clock, looping or ending after the last. Images are resized (cover,
 * centred) to the output size once, when loaded.
 */
import sharp from 'sharp';
import { KaoreaderError } from '../../firmware/core/errors.ts';
import type { FrameRenderer } from './clocked-frame-source.ts';
import type { RgbImage } from './image.ts';

export class ImageSequenceError extends KaoreaderError {
  readonly code = 'IMAGE_SEQUENCE_INVALID';
}

export class ImageSequenceRenderer implements FrameRenderer {
  readonly length: number;
  readonly width: number;
  readonly height: number;

  constructor(
    readonly images: readonly RgbImage[],
    readonly loop = true,
  ) {
    const first = images[0];
    if (!first) throw new ImageSequenceError('an image sequence needs at least one image');
    if (images.some((i) => i.width !== first.width || i.height !== first.height || i.data.length !== i.width * i.height * 3))
      throw new ImageSequenceError('all images of a sequence must be rgb24 of the same size');
    this.width = first.width;
    this.height = first.height;
    this.length = loop ? Infinity : images.length;
  }

  render(index: number, out: Uint8Array): void {
    out.set((this.images[index % this.images.length] as RgbImage).data);
  }
}

/** Decodes image files (any format sharp reads) to rgb24 at `width`×`height`. */
export async function loadImageFiles(paths: readonly string[], width: number, height: number): Promise<RgbImage[]> {
  const out: RgbImage[] = [];
  for (const p of paths) {
    try {
      const { data } = await sharp(p).resize(width, height, { fit: 'cover' }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
      out.push({ width, height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) });
    } catch (err) {
      throw new ImageSequenceError(`cannot read image ${p}`, { cause: err });
    }
  }
  return out;
}
