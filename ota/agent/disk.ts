/** Free-space check before an update: download + unpacked size + a safety margin must fit. */
import { statfs } from 'node:fs/promises';
import { UpdateRejectedError } from './errors.ts';

export const SPACE_MARGIN = 32 * 1024 * 1024;

export async function freeBytes(dir: string): Promise<number> {
  const s = await statfs(dir);
  return s.bavail * s.bsize;
}

export async function ensureSpace(dir: string, needed: number, free: (d: string) => Promise<number> = freeBytes): Promise<void> {
  const have = await free(dir);
  if (have < needed + SPACE_MARGIN) {
    throw new UpdateRejectedError('no-space', `${dir} has ${have} bytes free; the update needs ${needed} + ${SPACE_MARGIN} margin`);
  }
}
