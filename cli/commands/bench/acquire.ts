/**
 * One harder view of a face photo (variants.ts) through our pipeline, the way the reader meets
 * it: as a chip photo (greyscale, JPEG 2000 encoded and decoded by our OpenJPEG-wasm path: the
 * enrolment) or as a camera frame (the probe). Acquired means an embedding of the face that is
 * where the caller says it is (located by a detector that is not ours), not of something else.
 */
import { decodeJpeg2000 } from '../../../firmware/face/enrol/jp2-decode.ts';
import type { Raster } from '../../../firmware/face/pipeline/raster.ts';
import type { FacePipeline } from '../../../firmware/face/pipeline/pipeline.ts';
import { encodeGreyJp2 } from '../../../hardware-sim/card/jp2.ts';
import { greyOf, type Placed } from '../../../hardware-sim/face/variants.ts';

export type AcquirePath = 'enrol' | 'probe';

export interface AcquireResult {
  readonly emb: Float32Array | undefined;
  readonly failure?: 'no-face' | 'wrong-face';
}

/** Our pipeline on one variant; the face it took must be where the reference detector's face is. */
export async function acquire(pipeline: FacePipeline, placed: Placed, path: AcquirePath): Promise<AcquireResult> {
  let raster: Raster;
  if (path === 'enrol')
    raster = await decodeJpeg2000(await encodeGreyJp2(await greyOf(placed.image), placed.image.width, placed.image.height));
  else raster = { ...placed.image, channels: 3 };
  const a = await pipeline.analyse(raster, { embed: true });
  raster.data.fill(0);
  if (!a.primary || !a.embedding) return { emb: undefined, failure: 'no-face' };
  const b = a.primary.box;
  const off = Math.hypot(b.x + b.width / 2 - placed.face.cx, b.y + b.height / 2 - placed.face.cy);
  if (off > 0.6 * placed.face.width) {
    a.embedding.fill(0);
    return { emb: undefined, failure: 'wrong-face' };
  }
  return { emb: a.embedding };
}
