/**
 * Gets a platform-specific npm package (e.g. `@img/sharp-linux-arm64`) for a target that is
 * not this machine: `npm pack name@version` from the registry into a cache, the tarball
 * checked against the lock file's `integrity` (SHA-512) and unpacked. Used only by the release
 * tooling on the manufacturer's machine; nothing here runs on a device.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createGunzip } from 'node:zlib';
import { KaoreaderError } from '../../firmware/core/errors.ts';
import { extractTar } from './tar.ts';

export class PackageFetchError extends KaoreaderError {
  readonly code = 'PACKAGE_FETCH';
}

/** Returns a directory holding the unpacked package (its package.json at the top). */
export type PackageFetcher = (name: string, version: string, integrity: string | undefined) => Promise<string>;

function run(cmd: string, args: readonly string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { cwd, timeout: 180_000, maxBuffer: 4 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new PackageFetchError(`${cmd} ${args.join(' ')} failed: ${stderr.trim() || err.message}`, { cause: err }));
      else resolve(stdout);
    });
  });
}

export function npmPackFetcher(cacheDirIn: string): PackageFetcher {
  const cacheDir = resolve(cacheDirIn);
  return async (name, version, integrity) => {
    const dir = join(cacheDir, `${name.replace('/', '+')}@${version}`);
    try {
      await stat(join(dir, 'package.json'));
      return dir;
    } catch {
      // not cached yet
    }
    await mkdir(cacheDir, { recursive: true });
    const out = await run('npm', ['pack', `${name}@${version}`, '--json', '--pack-destination', cacheDir, '--silent'], cacheDir);
    const info = JSON.parse(out) as { filename: string }[];
    const file = join(cacheDir, info[0]?.filename ?? '');
    if (integrity) {
      const [algo, want] = integrity.split('-', 2);
      const got = createHash(algo ?? 'sha512')
        .update(await readFile(file))
        .digest('base64');
      if (got !== want) throw new PackageFetchError(`${name}@${version}: tarball does not match the lock file's integrity`);
    }
    const tmp = `${dir}.partial`;
    await rm(tmp, { recursive: true, force: true });
    await extractTar(createReadStream(file).pipe(createGunzip()), tmp, { strip: 1 });
    await rm(dir, { recursive: true, force: true });
    await rename(tmp, dir);
    await rm(file, { force: true });
    return dir;
  };
}
