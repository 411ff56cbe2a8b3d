/**
 * Builds a self-contained release tarball `kaoreader-<version>-<arch>.tar.gz`: the TypeScript
 * sources and bin (the device runs them through tsx), the production node_modules for the
 * target arch (see modules.ts), the face-api weights that the device converts into ONNX
 * models at first start, and `manifest.json` (version, arch, Node ABI, every file's hash).
 */
import { mkdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { sha256File } from '../fsx.ts';
import { isVersion, ManifestError, type Arch, type ReleaseManifest } from './manifest.ts';
import { productionModules, walk, type FileRef } from './modules.ts';
import type { PackageFetcher } from './npm-platform.ts';
import { packTarGz } from './pack.ts';
import { exists } from '../../firmware/core/fs.ts';

/** Top-level folders and files of the project that a release ships. */
export const SOURCE_DIRS = ['bin', 'cli', 'firmware', 'ota', 'hardware-sim', 'scripts', 'models'] as const;
export const SOURCE_FILES = ['package.json', 'package-lock.json', 'README.md', 'LICENSE'] as const;
const MODEL_INPUTS = /^node_modules\/@vladmandic\/face-api\/model\//;

export interface BuildOptions {
  readonly projectRoot: string;
  readonly arch: Arch;
  readonly outDir: string;
  readonly fetchPackage: PackageFetcher;
  /** Defaults to package.json's version. */
  readonly version?: string;
  /** Leave out node_modules (small synthetic releases for tests). */
  readonly withModules?: boolean;
  readonly level?: number;
  readonly now?: () => number;
}

export interface BuildResult {
  readonly file: string;
  readonly bytes: number;
  readonly manifest: ReleaseManifest;
  readonly fetched: readonly string[];
}

async function sources(root: string): Promise<FileRef[]> {
  const out: FileRef[] = [];
  for (const d of SOURCE_DIRS) {
    if (!(await exists(join(root, d)))) continue;
    for (const r of await walk(join(root, d))) out.push({ rel: `${d}/${r}`, abs: join(root, d, r) });
  }
  for (const f of SOURCE_FILES) if (await exists(join(root, f))) out.push({ rel: f, abs: join(root, f) });
  return out;
}

export async function buildRelease(o: BuildOptions): Promise<BuildResult> {
  const pkg = JSON.parse(await readFile(join(o.projectRoot, 'package.json'), 'utf8')) as { version?: string; bin?: Record<string, string> };
  const version = o.version ?? pkg.version;
  if (!isVersion(version)) throw new ManifestError(`release version ${JSON.stringify(version)} is not MAJOR.MINOR.PATCH`);
  const files = await sources(o.projectRoot);
  const mods = o.withModules === false ? { files: [], addons: [], fetched: [] } : await productionModules(o.projectRoot, o.arch, o.fetchPackage);
  files.push(...mods.files);
  const table: Record<string, { size: number; sha256: string }> = {};
  let unpackedBytes = 0;
  for (const f of files) {
    const { size } = await stat(f.abs);
    table[f.rel] = { size, sha256: await sha256File(f.abs) };
    unpackedBytes += size;
  }
  const manifest: ReleaseManifest = {
    schema: 1,
    name: 'kaoreader',
    version,
    arch: o.arch,
    nodeAbi: process.versions.modules,
    nodeVersion: process.versions.node,
    createdAt: new Date((o.now ?? Date.now)()).toISOString(),
    entry: pkg.bin?.['kaoreader'] ?? 'bin/kaoreader.js',
    files: table,
    unpackedBytes,
    nativeAddons: mods.addons,
    modelInputs: files.map((f) => f.rel).filter((r) => MODEL_INPUTS.test(r)),
  };
  await mkdir(o.outDir, { recursive: true });
  const file = join(o.outDir, `kaoreader-${version}-${o.arch}.tar.gz`);
  await packTarGz({ files, extra: [{ path: 'manifest.json', data: Buffer.from(`${JSON.stringify(manifest, null, 1)}\n`) }], ...(o.level !== undefined ? { level: o.level } : {}) }, file);
  return { file, bytes: (await stat(file)).size, manifest, fetched: mods.fetched };
}

/** The `custom` object published in TUF targets metadata for a release (checked before download). */
export function targetCustom(m: ReleaseManifest): Record<string, unknown> {
  return { kaoreader: { version: m.version, arch: m.arch, nodeAbi: m.nodeAbi, unpackedBytes: m.unpackedBytes } };
}
