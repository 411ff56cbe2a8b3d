/**
 * Publishes a signed repository folder to the folder a web server serves (the facility's
 * static HTTP(S) host): targets first, then versioned metadata, then `root.json`, and
 * `timestamp.json` last, each copied to a temporary name and renamed, so a device polling
 * during a publish sees either the old or the new repository. Files already there are kept.
 */
import { copyFile, mkdir, readdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { fsyncDir } from '../fsx.ts';
import { exists } from '../../firmware/core/fs.ts';

async function place(from: string, to: string, replace: boolean): Promise<boolean> {
  if (!replace && (await exists(to))) return false;
  const tmp = `${to}.${process.pid}.tmp`;
  await copyFile(from, tmp);
  await rename(tmp, to);
  return true;
}

/** Returns the number of files copied. */
export async function publishRepository(fromDir: string, toDir: string): Promise<number> {
  let copied = 0;
  for (const sub of ['targets', 'metadata']) await mkdir(join(toDir, sub), { recursive: true });
  for (const n of (await readdir(join(fromDir, 'targets'))).filter((x) => !x.endsWith('.tmp'))) {
    if (await place(join(fromDir, 'targets', n), join(toDir, 'targets', n), false)) copied++;
  }
  await fsyncDir(join(toDir, 'targets'));
  const meta = (await readdir(join(fromDir, 'metadata'))).filter((n) => /^\d+\.(root|targets|snapshot)\.json$/.test(n));
  for (const n of meta) if (await place(join(fromDir, 'metadata', n), join(toDir, 'metadata', n), false)) copied++;
  for (const n of ['root.json', 'timestamp.json']) {
    await place(join(fromDir, 'metadata', n), join(toDir, 'metadata', n), true);
    copied++;
  }
  await fsyncDir(join(toDir, 'metadata'));
  return copied;
}
