/**
 * Where an archive entry may be written: never through a symlink. Every directory on the way
 * from the destination root to an entry must be a real directory (or not exist yet, then the
 * extractor makes it); a symlink's own target may climb only with leading `..` (through the
 * real directories above it) and then descend by plain names, and must stay inside the root.
 * With both rules no chain of links (`a/b/up -> ..`, then `a/b/up/c/esc -> ../../..`) can
 * carry a later write, or a later read through the release, out of the destination.
 */
import { lstat } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { TarError } from './tar-error.ts';

async function kindOf(path: string): Promise<'missing' | 'dir' | 'symlink' | 'other'> {
  try {
    const st = await lstat(path);
    return st.isSymbolicLink() ? 'symlink' : st.isDirectory() ? 'dir' : 'other';
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw err;
  }
}

/** Refuses `rel` (root-relative, `/`-separated, already free of `..`) when a directory above it is a symlink or a file. */
export async function assertNoLinkOnTheWay(root: string, rel: string): Promise<void> {
  const parts = rel.split('/');
  for (let i = 1; i < parts.length; i++) {
    const prefix = parts.slice(0, i).join('/');
    const kind = await kindOf(join(root, prefix));
    if (kind === 'missing') return;
    if (kind === 'symlink') throw new TarError(`refusing to write ${rel} through the symlink ${prefix}`);
    if (kind === 'other') throw new TarError(`${rel}: ${prefix} is a file, not a directory`);
  }
}

/** Refuses an entry whose own path exists already as a symlink (a directory entry would follow it). */
export async function assertNotALink(root: string, rel: string): Promise<void> {
  if ((await kindOf(join(root, rel))) === 'symlink') throw new TarError(`refusing to write ${rel}: it exists already as a symlink`);
}

/** Refuses a symlink target that is absolute, climbs after a name, or resolves outside the root. */
export function assertLinkTargetInside(rel: string, linkname: string): void {
  const refuse = (why: string): never => {
    throw new TarError(`symlink ${rel} -> ${linkname} ${why}`);
  };
  if (linkname === '' || posix.isAbsolute(linkname) || linkname.includes('\\') || linkname.includes('\0')) refuse('is not a relative path');
  const steps = linkname.split('/').filter((s) => s !== '' && s !== '.');
  const up = steps.findIndex((s) => s !== '..');
  const climbs = up === -1 ? steps.length : up;
  if (steps.slice(climbs).includes('..')) refuse('climbs after a name (only leading "..")');
  const depth = rel.split('/').length - 1; // directories above the link inside the root
  if (climbs >= depth && !(climbs === depth && steps.length > climbs)) refuse('leaves the destination');
}
