/**
 * Face material for simulations and benches, made from ordinary photos: a camera-like 640×480
 * frame centred on a face, and the chip-photo treatment the card issuer applies (greyscale
 * portrait 240×300, JPEG 2000 in a JP2 box, written by Debian's opj_compress).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp, { type Sharp } from 'sharp';
import type { Box } from '../../firmware/face/pipeline/detector-decode.ts';
import type { Rgb } from './synthetic-sequences.ts';

/** Any image file → RGB, EXIF-rotated, longest side at most `maxSide`. */
export async function decodeRgb(file: string, maxSide = 1280): Promise<Rgb> {
  const { data, info } = await sharp(file)
    .rotate()
    .resize(maxSide, maxSide, { fit: 'inside' })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8Array(data) };
}

/** Crops `region` (which may stick out of the image: filled with `grey`) as raw RGB. */
async function cropRaw(image: Rgb, left: number, top: number, w: number, h: number, grey: number): Promise<Sharp> {
  const ext = {
    left: Math.max(0, -left),
    top: Math.max(0, -top),
    right: Math.max(0, left + w - image.width),
    bottom: Math.max(0, top + h - image.height),
  };
  const extended = await sharp(Buffer.from(image.data), { raw: { width: image.width, height: image.height, channels: 3 } })
    .extend({ ...ext, background: { r: grey, g: grey, b: grey } })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return sharp(extended.data, { raw: { width: extended.info.width, height: extended.info.height, channels: 3 } }).extract({
    left: left + ext.left,
    top: top + ext.top,
    width: w,
    height: h,
  });
}

/** A 640×480 frame showing `face` about 200 px wide, centred. */
export async function cameraFrame(image: Rgb, face: Box, faceWidth = 200): Promise<Rgb> {
  const scale = faceWidth / face.width;
  const w = Math.round(640 / scale);
  const h = Math.round(480 / scale);
  const left = Math.round(face.x + face.width / 2 - w / 2);
  const top = Math.round(face.y + face.height / 2 - h / 2);
  const { data, info } = await (
    await cropRaw(image, left, top, w, h, 60)
  )
    .resize(640, 480, { fit: 'fill' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8Array(data) };
}

/** The chip-photo treatment: greyscale, portrait crop 240×300, JPEG 2000 (JP2 box) via opj_compress. */
export async function chipPhoto(image: Rgb, face: Box, ratio = 12): Promise<Uint8Array> {
  const w = face.width * 1.9;
  const h = w * 1.25;
  const left = Math.round(face.x + face.width / 2 - w / 2);
  const top = Math.round(face.y + face.height * 0.45 - h / 2);
  const dir = mkdtempSync(join(tmpdir(), 'kaoreader-jp2-'));
  try {
    await (
      await cropRaw(image, left, top, Math.round(w), Math.round(h), 200)
    )
      .resize(240, 300, { fit: 'fill' })
      .greyscale()
      .toFormat('png')
      .toFile(join(dir, 'photo.png'));
    execFileSync('opj_compress', ['-i', join(dir, 'photo.png'), '-o', join(dir, 'photo.jp2'), '-r', String(ratio)], { stdio: 'ignore' });
    return new Uint8Array(readFileSync(join(dir, 'photo.jp2')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
