/**
 * Harder versions of a face photo, for measuring failure to acquire: the face cropped tight (it
 * touches the image border), small, turned in the image plane by ±30°, and dark, over-exposed or
 * backlit. Each comes as a camera frame (640×480 colour, the probe) and as a portrait (colour; the
 * caller makes the chip photo of it: greyscale, JPEG 2000), with where the face centre now is, so
 * a caller can tell the right face from a false detection. The face box comes from the caller (an
 * independent detector), not from the pipeline under test.
 */
import sharp from 'sharp';
import type { Box } from '../../firmware/face/pipeline/detector-decode.ts';
import type { Rgb } from './synthetic-sequences.ts';

export type Variant = 'base' | 'tight' | 'small' | 'rotate-30' | 'rotate+30' | 'dark' | 'bright' | 'backlit';
export const VARIANTS: readonly Variant[] = ['base', 'tight', 'small', 'rotate-30', 'rotate+30', 'dark', 'bright', 'backlit'];

/** An image and where the face's centre is in it, with its width (pixels). */
export interface Placed {
  readonly image: Rgb;
  readonly face: { readonly cx: number; readonly cy: number; readonly width: number };
}

const FRAME_W = 640;
const FRAME_H = 480;
const GREY = 60;

/** `w`×`h` pixels of `image` around (cx, cy) at `scale` output pixels per input pixel, grey outside. */
async function view(image: Rgb, cx: number, cy: number, scale: number, w: number, h: number): Promise<Rgb> {
  const sw = Math.round(w / scale);
  const sh = Math.round(h / scale);
  const left = Math.round(cx - sw / 2);
  const top = Math.round(cy - sh / 2);
  const ext = {
    left: Math.max(0, -left),
    top: Math.max(0, -top),
    right: Math.max(0, left + sw - image.width),
    bottom: Math.max(0, top + sh - image.height),
  };
  const padded = await sharp(Buffer.from(image.data), { raw: { width: image.width, height: image.height, channels: 3 } })
    .extend({ ...ext, background: { r: GREY, g: GREY, b: GREY } })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const { data, info } = await sharp(padded.data, { raw: { width: padded.info.width, height: padded.info.height, channels: 3 } })
    .extract({ left: left + ext.left, top: top + ext.top, width: sw, height: sh })
    .resize(w, h, { fit: 'fill' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8Array(data) };
}

/** Turned by `deg` about its centre, same size, grey corners. */
async function rotated(img: Rgb, deg: number): Promise<Rgb> {
  const r = await sharp(Buffer.from(img.data), { raw: { width: img.width, height: img.height, channels: 3 } })
    .rotate(deg, { background: { r: GREY, g: GREY, b: GREY } })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const left = Math.floor((r.info.width - img.width) / 2);
  const top = Math.floor((r.info.height - img.height) / 2);
  const { data } = await sharp(r.data, { raw: { width: r.info.width, height: r.info.height, channels: 3 } })
    .extract({ left, top, width: img.width, height: img.height })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { ...img, data: new Uint8Array(data) };
}

/** Per-pixel `f(value, weight)` where weight is 1 inside the face ellipse and falls to 0 outside it. */
function shade(img: Rgb, face: Placed['face'], f: (v: number, inFace: number) => number): Rgb {
  const out = new Uint8Array(img.data.length);
  const rx = face.width * 0.6;
  const ry = face.width * 0.8;
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      const r = Math.hypot((x - face.cx) / rx, (y - face.cy) / ry);
      const inFace = r <= 1 ? 1 : Math.max(0, 1 - (r - 1) / 0.4);
      const o = (y * img.width + x) * 3;
      for (let c = 0; c < 3; c++) out[o + c] = Math.max(0, Math.min(255, Math.round(f(img.data[o + c]!, inFace))));
    }
  }
  return { ...img, data: out };
}

/** Sensor noise for the dark frame (a camera lifts its gain in the dark). Deterministic. */
function noisy(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 2 ** 32 - 0.5) * 2;
  };
}

async function lighting(p: Placed, v: 'dark' | 'bright' | 'backlit'): Promise<Placed> {
  const n = noisy(7);
  switch (v) {
    case 'dark':
      return { ...p, image: shade(p.image, p.face, (x) => x * 0.28 + n() * 4) };
    // Over-exposed: mid-tones lifted a lot, highlights clipped (what an auto-exposure fooled by a dark room gives).
    case 'bright':
      return { ...p, image: shade(p.image, p.face, (x) => 255 * 1.12 * Math.sqrt(x / 255)) };
    case 'backlit':
      return { ...p, image: shade(p.image, p.face, (x, inFace) => inFace * x * 0.4 + (1 - inFace) * (0.25 * x + 0.75 * 250)) };
  }
}

/** The face as a camera at the reader sees it: base is 200 px wide in 640×480, centred. */
export async function frameVariant(image: Rgb, face: Box, v: Variant): Promise<Placed> {
  const cx = face.x + face.width / 2;
  const cy = face.y + face.height / 2;
  const centre = { cx: FRAME_W / 2, cy: FRAME_H / 2 };
  const at = async (faceWidth: number): Promise<Placed> => ({
    image: await view(image, cx, cy, faceWidth / face.width, FRAME_W, FRAME_H),
    face: { ...centre, width: faceWidth },
  });
  switch (v) {
    case 'base':
      return at(200);
    // The face box fills the frame's height: forehead and chin touch the border.
    case 'tight':
      return at((FRAME_H / face.height) * face.width);
    case 'small':
      return at(56);
    case 'rotate-30':
    case 'rotate+30': {
      const base = await at(200);
      return { ...base, image: await rotated(base.image, v === 'rotate-30' ? -30 : 30) };
    }
    default:
      return lighting(await at(200), v);
  }
}

/**
 * The face as an ID photo before the chip treatment: base is a 240×300 portrait with the face box
 * 1/1.9 of its width; `tight` a 150×150 crop of the face box itself; `small` the portrait at 96×120.
 */
export async function portraitVariant(image: Rgb, face: Box, v: Variant): Promise<Placed> {
  const cx = face.x + face.width / 2;
  const top = face.y + face.height * 0.45;
  const scale = 240 / (face.width * 1.9);
  const portrait = async (s: number, w: number, h: number): Promise<Placed> => ({
    image: await view(image, cx, top, s, w, h),
    face: { cx: w / 2, cy: h / 2 + (face.y + face.height / 2 - top) * s, width: face.width * s },
  });
  switch (v) {
    case 'base':
      return portrait(scale, 240, 300);
    case 'tight': {
      const side = Math.max(face.width, face.height);
      return {
        image: await view(image, cx, face.y + face.height / 2, 150 / side, 150, 150),
        face: { cx: 75, cy: 75, width: (150 / side) * face.width },
      };
    }
    case 'small':
      return portrait(scale * 0.4, 96, 120);
    case 'rotate-30':
    case 'rotate+30': {
      const base = await portrait(scale, 240, 300);
      const deg = v === 'rotate-30' ? -30 : 30;
      const a = (deg * Math.PI) / 180;
      const dx = base.face.cx - 120;
      const dy = base.face.cy - 150;
      // sharp turns clockwise for a positive angle (y down): the face centre moves with it
      return {
        image: await rotated(base.image, deg),
        face: { cx: 120 + dx * Math.cos(a) - dy * Math.sin(a), cy: 150 + dx * Math.sin(a) + dy * Math.cos(a), width: base.face.width },
      };
    }
    default:
      return lighting(await portrait(scale, 240, 300), v);
  }
}

/** Greyscale bytes of an RGB image (the chip photo is grey). */
export async function greyOf(img: Rgb): Promise<Uint8Array> {
  const { data } = await sharp(Buffer.from(img.data), { raw: { width: img.width, height: img.height, channels: 3 } })
    .greyscale()
    .toColourspace('b-w')
    .raw()
    .toBuffer({ resolveWithObject: true });
  return new Uint8Array(data);
}
