/**
 * Unpacks a verified release tarball into `releases/.partial-<version>`, checks its manifest
 * against the signed target (version, arch, Node ABI) and every file's size and SHA-256, syncs the
 * filesystem, then renames it to `releases/<version>`: a release directory exists only
 * complete. A leftover partial directory (killed mid-unpack) is removed first.
 */
import { execFile } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createGunzip } from 'node:zlib';
import { fsyncDir, sha256File } from '../fsx.ts';
import { ManifestError, parseManifest, type ReleaseManifest } from '../release/manifest.ts';
import { TarError, extractTar } from '../release/tar.ts';
import { UpdateRejectedError } from './errors.ts';

export interface InstallExpect {
  readonly version: string;
  readonly arch: string;
  readonly nodeAbi: string;
}

function run(args: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('sync', args, { timeout: 120_000 }, (err) => (err ? reject(err) : resolve()));
  });
}

/** syncfs(2) of the filesystem holding `dir` (coreutils `sync -f`), or a global sync where -f is missing. */
async function syncfs(dir: string): Promise<void> {
  try {
    await run(['-f', dir]);
  } catch {
    await run([]);
  }
}

export async function installRelease(
  tarball: string,
  releasesDir: string,
  expect: InstallExpect,
  onEntry?: (index: number) => void,
): Promise<ReleaseManifest> {
  const partial = join(releasesDir, `.partial-${expect.version}`);
  const final = join(releasesDir, expect.version);
  await rm(partial, { recursive: true, force: true });
  try {
    await extractTar(createReadStream(tarball).pipe(createGunzip()), partial, { onEntry: (_e, i) => onEntry?.(i) });
  } catch (err) {
    await rm(partial, { recursive: true, force: true });
    if (err instanceof TarError)
      throw new UpdateRejectedError('manifest-invalid', `release archive is invalid: ${err.message}`, { cause: err });
    throw err;
  }
  let manifest: ReleaseManifest;
  try {
    manifest = parseManifest(await readFile(join(partial, 'manifest.json'), 'utf8'));
    const problems: string[] = [];
    if (manifest.version !== expect.version) problems.push(`version ${manifest.version} ≠ ${expect.version}`);
    if (manifest.arch !== expect.arch) problems.push(`arch ${manifest.arch} ≠ ${expect.arch}`);
    if (manifest.nodeAbi !== expect.nodeAbi) problems.push(`Node ABI ${manifest.nodeAbi} ≠ ${expect.nodeAbi}`);
    for (const [p, f] of Object.entries(manifest.files)) {
      const s = await stat(join(partial, p)).catch(() => undefined);
      if (!s || s.size !== f.size) problems.push(`${p}: missing or wrong size`);
      else if ((await sha256File(join(partial, p))) !== f.sha256) problems.push(`${p}: wrong SHA-256`);
      if (problems.length > 10) break;
    }
    if (problems.length > 0) throw new ManifestError(problems.join('; '));
  } catch (err) {
    await rm(partial, { recursive: true, force: true });
    throw new UpdateRejectedError('manifest-invalid', (err as Error).message, { cause: err });
  }
  await syncfs(partial);
  await rm(final, { recursive: true, force: true });
  await rename(partial, final);
  await fsyncDir(releasesDir);
  return manifest;
}
