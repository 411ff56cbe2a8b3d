/**
 * SVG → one 8-bit grey channel, sharp and blurred (Gaussian sigma per entry; 0 = none): how the
 * card-front OCR draws its reference glyphs with the display's image library (sharp is loaded
 * lazily, only when the first glyphs are drawn).
 */

/** An 8-bit grey image, row-major, no padding. */
export interface GreyImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

/** Renders `svg` once, then returns one grey image per blur sigma, in order. */
export async function svgToGrey(svg: string, blurs: readonly number[]): Promise<GreyImage[]> {
  const { default: sharp } = await import('sharp');
  const png = await sharp(Buffer.from(svg)).greyscale().extractChannel(0).png().toBuffer();
  const out: GreyImage[] = [];
  for (const sigma of blurs) {
    const { data, info } = await (sigma ? sharp(png).blur(sigma) : sharp(png))
      .extractChannel(0)
      .raw()
      .toBuffer({ resolveWithObject: true });
    out.push({ width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, info.width * info.height) });
  }
  return out;
}
