/**
 * Generate-once directories under var/: a generator writes into a private temporary directory
 * that is renamed into place, so parallel first uses never see a half-written key set.
 */
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { exists } from '../../firmware/core/fs.ts';

export async function ensureGenerated(dir: string, generate: (tmp: string) => Promise<void>): Promise<void> {
  const done = join(dir, '.complete');
  if (await exists(done)) return;
  await mkdir(dirname(dir), { recursive: true, mode: 0o700 });
  const tmp = await mkdtemp(`${dir}.tmp-`);
  try {
    await generate(tmp);
    await writeFile(join(tmp, '.complete'), '');
    try {
      await rename(tmp, dir);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw err;
      if (!(await exists(done))) throw err; // someone else's half-written directory: let the caller see it
    }
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
