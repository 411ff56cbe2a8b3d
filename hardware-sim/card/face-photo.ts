/**
 * Turns any image into a chip-style photo: crop a box, greyscale, resize (240×300 by default),
 * then JPEG 2000 (JP2). The lead wires named patients' photos; tests crop a public sample.
 */
import sharp from 'sharp';
import { encodeGreyJp2 } from './jp2.ts';

export interface Box {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
}

export async function chipPhotoFromImage(input: string | Uint8Array, box?: Box, size = { width: 240, height: 300 }): Promise<Uint8Array> {
  let img = sharp(input);
  if (box) img = img.extract(box);
  const { data, info } = await img
    .greyscale()
    .resize(size.width, size.height, { fit: 'cover' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const grey = info.channels === 1 ? new Uint8Array(data) : new Uint8Array(data.filter((_, i) => i % info.channels === 0));
  return encodeGreyJp2(grey, info.width, info.height);
}

/** A small greyscale PNG (for the name/address/security-code images the card also holds). */
export async function placeholderPng(width: number, height: number, shade: number): Promise<Uint8Array> {
  return new Uint8Array(
    await sharp({ create: { width, height, channels: 3, background: { r: shade, g: shade, b: shade } } })
      .greyscale()
      .png()
      .toBuffer(),
  );
}
