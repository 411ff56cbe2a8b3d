/**
 * The self-test's test photo (firmware/daemon/self-test.ts runs the face models on it): the
 * simulator's sample face as a chip-style JPEG 2000, written once (setup; the release build
 * ships it as var/self-test/face.jp2).
 */
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { SAMPLE_FACE } from './default-patient.ts';
import { chipPhotoFromImage } from './face-photo.ts';

const projectRoot = new URL('../../', import.meta.url).pathname;

export async function ensureSelfTestPhoto(path: string): Promise<string> {
  if (existsSync(path)) return path;
  const jp2 = await chipPhotoFromImage(join(projectRoot, SAMPLE_FACE.path), SAMPLE_FACE.box);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(`${path}.tmp`, jp2);
  renameSync(`${path}.tmp`, path);
  return path;
}
