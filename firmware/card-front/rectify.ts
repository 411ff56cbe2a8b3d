/**
 * Samples a region of the card, given in card millimetres, from the scan through the
 * card→image homography, into an upright image at `pxPerMm` (bilinear).
 */
import type { GreyImage } from './glyph-features.ts';
import type { Homography } from './homography.ts';

export interface MmRect {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}

export function rectify(img: GreyImage, cardToImage: Homography, roi: MmRect, pxPerMm: number): GreyImage {
  const w = Math.round((roi.x1 - roi.x0) * pxPerMm);
  const h = Math.round((roi.y1 - roi.y0) * pxPerMm);
  const out = new Uint8Array(w * h);
  const [h0, h1, h2, h3, h4, h5, h6, h7, h8] = cardToImage;
  const W = img.width;
  const d = img.data;
  for (let v = 0; v < h; v++) {
    const my = roi.y0 + (v + 0.5) / pxPerMm;
    for (let u = 0; u < w; u++) {
      const mx = roi.x0 + (u + 0.5) / pxPerMm;
      const z = h6 * mx + h7 * my + h8;
      const x = (h0 * mx + h1 * my + h2) / z - 0.5;
      const y = (h3 * mx + h4 * my + h5) / z - 0.5;
      const xi = Math.floor(x);
      const yi = Math.floor(y);
      if (xi < 0 || yi < 0 || xi >= W - 1 || yi >= img.height - 1) {
        out[v * w + u] = 0;
        continue;
      }
      const fx = x - xi;
      const fy = y - yi;
      const p = yi * W + xi;
      out[v * w + u] =
        ((d[p] as number) * (1 - fx) + (d[p + 1] as number) * fx) * (1 - fy) +
        ((d[p + W] as number) * (1 - fx) + (d[p + W + 1] as number) * fx) * fy;
    }
  }
  return { width: w, height: h, data: out };
}
