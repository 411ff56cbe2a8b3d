/**
 * Exposure rescue for detection: when a frame is too dark, washed out or backlit the detector
 * misses faces it finds in a well-exposed frame. The frame's luma histogram (sampled on a coarse
 * grid) gives an equalising tone curve, applied to a copy of the frame that only the detector and
 * the landmark net see; the embedding and the guidance statistics still use the frame as it came.
 */
import type { Raster } from './raster.ts';

/** Pixels sampled per side, at most (the histogram of a 640×480 frame from ≈ 80×60 samples). */
const GRID = 80;

/** Cumulative luma histogram of `src` → a 256-entry tone curve that spreads its levels evenly. */
export function equalisingCurve(src: Raster): Uint8Array {
  const hist = new Float64Array(256);
  const step = Math.max(1, Math.floor(Math.max(src.width, src.height) / GRID));
  let n = 0;
  for (let y = 0; y < src.height; y += step) {
    for (let x = 0; x < src.width; x += step) {
      const i = (y * src.width + x) * src.channels;
      const l = src.channels === 1 ? src.data[i]! : (77 * src.data[i]! + 150 * src.data[i + 1]! + 29 * src.data[i + 2]!) >> 8;
      hist[l]!++;
      n++;
    }
  }
  const curve = new Uint8Array(256);
  let cum = 0;
  for (let v = 0; v < 256; v++) {
    cum += hist[v]!;
    // Half equalised, half identity: enough contrast back for the detector, no posterised faces.
    curve[v] = Math.round(0.5 * v + 0.5 * ((cum - hist[v]! / 2) / Math.max(1, n)) * 255);
  }
  return curve;
}

/** Is the frame's exposure far enough off that the equalised copy is worth a detector pass? */
export function poorlyExposed(curve: Uint8Array): boolean {
  // The curve moves mid-grey (or the quartiles) by more than a fifth of the range.
  return Math.abs(curve[64]! - 64) > 40 || Math.abs(curve[128]! - 128) > 40 || Math.abs(curve[192]! - 192) > 40;
}

/** A copy of `src` with every sample mapped through `curve` (the caller zeroes it after use). */
export function withCurve(src: Raster, curve: Uint8Array): Raster {
  const data = new Uint8Array(src.data.length);
  for (let i = 0; i < data.length; i++) data[i] = curve[src.data[i]!]!;
  return { ...src, data };
}
