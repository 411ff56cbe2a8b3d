/**
 * A simulated patient as a camera sees them at the reader: their face crop placed in a 640×480
 * frame at a natural size (eyes about 80 px apart, as at arm's length from a reader's camera),
 * the surroundings continued from the crop's edges. The patient crops are tight, and a camera
 * filled by a face is "too close" for any face pipeline.
 */
import sharp from 'sharp';
import type { RgbImage } from '../../hardware-sim/camera/image.ts';
import type { FaceSubject } from '../../hardware-sim/camera/sim-cameras.ts';
import { room } from '../../hardware-sim/camera/spoof.ts';
import type { LoadedPatient } from '../../hardware-sim/patients/load-patient.ts';

const WIDTH = 640;
const HEIGHT = 480;

export async function cameraSubject(p: LoadedPatient, eyeDistance = 80): Promise<FaceSubject> {
  const [[lx, ly], [rx, ry]] = p.face.eyes;
  const k = eyeDistance / Math.hypot(rx - lx, ry - ly);
  const w = Math.round(p.faceImage.width * k);
  const h = Math.round(p.faceImage.height * k);
  const left = Math.round((WIDTH - w) / 2);
  const top = Math.round((HEIGHT - h) / 2 - 0.05 * HEIGHT);
  const { data } = await sharp(p.faceImage.data, { raw: { width: p.faceImage.width, height: p.faceImage.height, channels: 3 } })
    .resize(w, h, { fit: 'fill' })
    .extend({ left, top, right: WIDTH - w - left, bottom: HEIGHT - h - top, extendWith: 'copy' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return {
    faceImage: { width: WIDTH, height: HEIGHT, data: new Uint8Array(data) },
    face: {
      eyes: [
        [lx * k + left, ly * k + top],
        [rx * k + left, ry * k + top],
      ],
    },
  };
}

/**
 * Two people in front of the camera, side by side at arm's length (eyes about 60 px apart each),
 * over a plain room: `first` on the image left, `second` on the right. Each crop is blended into
 * the room through a feathered ellipse. The eyes given are `first`'s (the one a live renderer moves).
 */
export async function twoPeopleSubject(first: LoadedPatient, second: LoadedPatient, eyeDistance = 60): Promise<FaceSubject> {
  const frame = room(WIDTH, HEIGHT);
  let eyes: FaceSubject['face']['eyes'] | undefined;
  for (const [p, centreX] of [
    [first, WIDTH * 0.3],
    [second, WIDTH * 0.7],
  ] as const) {
    const [[lx, ly], [rx, ry]] = p.face.eyes;
    const k = eyeDistance / Math.hypot(rx - lx, ry - ly);
    const w = Math.round(p.faceImage.width * k);
    const h = Math.round(p.faceImage.height * k);
    const left = Math.round(centreX - w / 2);
    const top = Math.round((HEIGHT - h) / 2);
    const crop = await sharp(p.faceImage.data, { raw: { width: p.faceImage.width, height: p.faceImage.height, channels: 3 } })
      .resize(w, h, { fit: 'fill' })
      .raw()
      .toBuffer();
    blendEllipse(frame, crop, { left, top, w, h });
    eyes ??= [
      [lx * k + left, ly * k + top],
      [rx * k + left, ry * k + top],
    ];
  }
  if (!eyes) throw new RangeError('no first person');
  return { faceImage: frame, face: { eyes } };
}

/** Pastes `crop` (rgb24, w×h) at (left, top), fully inside an inner ellipse, fading out to its edge. */
function blendEllipse(frame: RgbImage, crop: Uint8Array, at: { left: number; top: number; w: number; h: number }): void {
  for (let y = 0; y < at.h; y++) {
    const fy = y + at.top;
    if (fy < 0 || fy >= frame.height) continue;
    for (let x = 0; x < at.w; x++) {
      const fx = x + at.left;
      if (fx < 0 || fx >= frame.width) continue;
      const r = Math.hypot((x - at.w / 2) / (at.w / 2), (y - at.h / 2) / (at.h / 2));
      const a = r <= 0.8 ? 1 : Math.max(0, (1 - r) / 0.2);
      if (a === 0) continue;
      const s = (y * at.w + x) * 3;
      const d = (fy * frame.width + fx) * 3;
      for (let c = 0; c < 3; c++) frame.data[d + c] = Math.round(a * (crop[s + c] as number) + (1 - a) * (frame.data[d + c] as number));
    }
  }
}
