/**
 * The crash-safe file helpers every area shares (there is one of each): whether a path exists,
 * fsync of a directory, a durable `mkdir -p`, and atomic replace of a file. A file's new name is
 * durable only once its directory is fsync'd, so each helper that creates a name fsyncs it.
 */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { mkdir, open, rename, stat, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { TempFileTakenError } from './errors.ts';

/**
 * Whether `path` exists. Only "no such file" (ENOENT) answers false: any other failure
 * (permission denied, I/O error, a file where a directory is expected) is thrown, so a
 * caller never mistakes an unreadable file for an absent one.
 */
export async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}

export async function fsyncDir(dir: string): Promise<void> {
  const fd = await open(dir, 'r');
  try {
    await fd.sync();
  } finally {
    await fd.close();
  }
}

/**
 * `mkdir -p` whose result survives a power cut: every directory it creates is named in a parent
 * that is fsync'd afterwards (a new directory's name is durable only then, like a file's).
 */
export async function mkdirDurable(dir: string, mode = 0o700): Promise<void> {
  const first = await mkdir(dir, { recursive: true, mode });
  if (first === undefined) return;
  const made = resolve(dir);
  // From the parent of the first directory made down to the parent of the last one.
  for (let d = dirname(resolve(first)), guard = 0; guard < 256; guard++) {
    await fsyncDir(d);
    if (d === dirname(made)) return;
    d = join(d, relative(d, made).split(sep)[0] ?? '');
  }
}

/**
 * Creates `path` for writing only if no name is there (O_CREAT|O_EXCL|O_NOFOLLOW): a file or a
 * symlink someone planted at that name is a TempFileTakenError, never opened or followed.
 */
export async function createExclusive(path: string, mode: number): Promise<FileHandle> {
  try {
    return await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, mode);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' || code === 'ELOOP') throw new TempFileTakenError(path, { cause: err });
    throw err;
  }
}

/**
 * Atomically replaces `path` with `data`: a temporary file beside it, created exclusively under
 * a random name (createExclusive: a writer with less privilege sharing the directory cannot
 * predict it, and a name planted there anyway is refused, not followed), is written and
 * fsync'd, renamed over `path`, and the directory is fsync'd. A power cut leaves the old or
 * the new content, never a mix. `mode` applies to a new file (default owner-only: state files
 * may hold keys).
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array, mode = 0o600): Promise<void> {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${randomBytes(8).toString('hex')}.tmp`);
  const fd = await createExclusive(tmp, mode);
  try {
    await fd.writeFile(data);
    await fd.sync();
  } finally {
    await fd.close();
  }
  await rename(tmp, path);
  await fsyncDir(dir);
}
