/** Reads `manifest.json` (the first entry) out of a release tarball without unpacking the rest. */
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGunzip } from 'node:zlib';
import { ManifestError, parseManifest, type ReleaseManifest } from './manifest.ts';
import { extractTar } from './tar.ts';

class FirstEntryDone extends Error {}

export async function readManifestFromTarball(file: string): Promise<ReleaseManifest> {
  const dir = await mkdtemp(join(tmpdir(), 'kao-manifest-'));
  try {
    try {
      await extractTar(createReadStream(file).pipe(createGunzip()), dir, {
        onEntry: (e, i) => {
          if (i === 1 && e.path !== 'manifest.json') throw new ManifestError(`${file}: first entry is ${e.path}, not manifest.json`);
          if (i > 1) throw new FirstEntryDone();
        },
      });
    } catch (err) {
      if (!(err instanceof FirstEntryDone)) throw err;
    }
    return parseManifest(await readFile(join(dir, 'manifest.json'), 'utf8'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
