/**
 * Small crash-safe file helpers shared by the release tooling and the device agent: atomic
 * replace (temp + fsync + rename + directory fsync), atomic symlink swap, sha256 of a file.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { rename, rm, symlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fsyncDir, writeFileAtomic } from '../firmware/core/fs.ts';

export { fsyncDir };

/**
 * The release tooling's and the agent's atomic replace: the one in core, world-readable by
 * default (release files and agent state are not secret; core's default keeps files private).
 */
export function writeAtomic(path: string, data: string | Uint8Array, mode = 0o644): Promise<void> {
  return writeFileAtomic(path, data, mode);
}

/**
 * Points the symlink `link` at `target` atomically: a temporary link is made beside it and
 * renamed over it (rename(2) replaces atomically; `ln -sfn` does not), then the directory is
 * fsync'd. `onLinked` runs between the link and the rename (progress reporting).
 */
export async function swapSymlink(link: string, target: string, onLinked?: () => void): Promise<void> {
  const dir = dirname(link);
  const tmp = join(dir, `.${basename(link)}.tmp`);
  await rm(tmp, { force: true });
  await symlink(target, tmp);
  onLinked?.();
  await rename(tmp, link);
  await fsyncDir(dir);
}

export async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}
