/**
 * Builds a self-contained release tarball `kaoreader-<version>-<arch>.tar.gz`:
 *   manifest.json      first entry: version, arch, runtime, Node ABI, every file's size and hash,
 *                      each native addon and how it was made
 *   package.json, bin/kaoreader.js and the compiled JavaScript of cli/ firmware/ ota/ hardware-sim/
 *   node_modules/      the production packages for the arch, addons built for its runtime
 *   runtime/bin/node   the Node.js the units run (npm's node-linux-<cpu>, pinned)
 *   var/models/        the face models converted at build time (the device only checks them)
 *   var/self-test/     the self-test's test photo (given by the caller)
 * `packFolder` packs a folder as it is (small releases for tests and benches).
 */
import { mkdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ensureDefaultModels } from '../../tools/models/build-models.ts';
import { sha256File } from '../fsx.ts';
import { nodeGypAddonBuilder, type AddonBuilder } from './addons.ts';
import { compileApp, RELEASE_ENTRY } from './compile.ts';
import { isVersion, ManifestError, type Arch, type NativeAddon, type ReleaseManifest, type RuntimeInfo } from './manifest.ts';
import { productionModules, walk, type FileRef } from './modules.ts';
import type { PackageFetcher } from './npm-platform.ts';
import { packTarGz } from './pack.ts';
import { releaseRuntime } from './runtime.ts';

const MODEL_INPUTS = /^node_modules\/@vladmandic\/face-api\/model\//;
/** Where the converted face models sit in a release (the daemon's default `var/models`, relative to it). */
export const RELEASE_MODELS = 'var/models';
export const RUNTIME_NODE = 'runtime/bin/node';

export interface BuildResult {
  readonly file: string;
  readonly bytes: number;
  readonly manifest: ReleaseManifest;
  readonly fetched: readonly string[];
}

interface PackInput {
  readonly arch: Arch;
  readonly version: string;
  readonly files: readonly FileRef[];
  readonly entry: string;
  readonly nodeAbi: string;
  readonly nodeVersion: string;
  readonly nativeAddons: readonly NativeAddon[];
  readonly runtime?: RuntimeInfo;
  readonly outDir: string;
  readonly level?: number;
  readonly now?: () => number;
}

async function packRelease(i: PackInput): Promise<{ file: string; bytes: number; manifest: ReleaseManifest }> {
  const table: Record<string, { size: number; sha256: string }> = {};
  let unpackedBytes = 0;
  for (const f of i.files) {
    const { size } = await stat(f.abs);
    table[f.rel] = { size, sha256: await sha256File(f.abs) };
    unpackedBytes += size;
  }
  const manifest: ReleaseManifest = {
    schema: 1,
    name: 'kaoreader',
    version: i.version,
    arch: i.arch,
    nodeAbi: i.nodeAbi,
    nodeVersion: i.nodeVersion,
    createdAt: new Date((i.now ?? Date.now)()).toISOString(),
    entry: i.entry,
    files: table,
    unpackedBytes,
    nativeAddons: i.nativeAddons,
    modelInputs: i.files.map((f) => f.rel).filter((r) => MODEL_INPUTS.test(r)),
    ...(i.runtime ? { runtime: i.runtime } : {}),
  };
  await mkdir(i.outDir, { recursive: true });
  const file = join(i.outDir, `kaoreader-${i.version}-${i.arch}.tar.gz`);
  await packTarGz(
    {
      files: i.files,
      extra: [{ path: 'manifest.json', data: Buffer.from(`${JSON.stringify(manifest, null, 1)}\n`) }],
      ...(i.level !== undefined ? { level: i.level } : {}),
    },
    file,
  );
  return { file, bytes: (await stat(file)).size, manifest };
}

async function versionOf(projectRoot: string, wanted: string | undefined): Promise<{ version: string; entry: string | undefined }> {
  const pkg = JSON.parse(await readFile(join(projectRoot, 'package.json'), 'utf8')) as { version?: string; bin?: Record<string, string> };
  const version = wanted ?? pkg.version;
  if (!isVersion(version)) throw new ManifestError(`release version ${JSON.stringify(version)} is not MAJOR.MINOR.PATCH`);
  return { version, entry: pkg.bin?.['kaoreader'] };
}

export interface FolderOptions {
  readonly projectRoot: string;
  readonly arch: Arch;
  readonly outDir: string;
  readonly version?: string;
  readonly level?: number;
  readonly now?: () => number;
}

/** A release of every file under a folder as it is, on the device's own node (tests, benches). */
export async function packFolder(o: FolderOptions): Promise<BuildResult> {
  const { version, entry } = await versionOf(o.projectRoot, o.version);
  const files = (await walk(o.projectRoot)).map((rel) => ({ rel, abs: join(o.projectRoot, rel) }));
  const r = await packRelease({
    arch: o.arch,
    version,
    files,
    entry: entry ?? RELEASE_ENTRY,
    nodeAbi: process.versions.modules,
    nodeVersion: process.versions.node,
    nativeAddons: [],
    outDir: o.outDir,
    ...(o.level !== undefined ? { level: o.level } : {}),
    ...(o.now ? { now: o.now } : {}),
  });
  return { ...r, fetched: [] };
}

export interface BuildOptions extends FolderOptions {
  readonly fetchPackage: PackageFetcher;
  /** Intermediate files (compiled program, converted models); kept between builds. */
  readonly workDir: string;
  /** Where built addons are cached; default `<workDir>/addons`. */
  readonly addonCache?: string;
  /** Default: node-gyp with the native or cross toolchain (addons.ts). */
  readonly buildAddon?: AddonBuilder;
  /** More files for the release (the self-test photo, made by the caller). */
  readonly extraFiles?: readonly FileRef[];
}

export async function buildRelease(o: BuildOptions): Promise<BuildResult> {
  const { version } = await versionOf(o.projectRoot, o.version);
  const runtime = await releaseRuntime(o.projectRoot, o.arch, o.fetchPackage);
  const buildAddon =
    o.buildAddon ??
    nodeGypAddonBuilder({ projectRoot: o.projectRoot, arch: o.arch, runtime, cacheDir: o.addonCache ?? join(o.workDir, 'addons') });
  const app = await compileApp(o.projectRoot, join(o.workDir, `app-${o.arch}`));
  const mods = await productionModules(o.projectRoot, o.arch, { fetchPackage: o.fetchPackage, buildAddon });
  const modelsDir = join(o.workDir, 'models');
  ensureDefaultModels(modelsDir);
  const models = (await walk(modelsDir)).map((r) => ({ rel: `${RELEASE_MODELS}/${r}`, abs: join(modelsDir, r) }));
  const files: FileRef[] = [
    ...app,
    { rel: 'package.json', abs: join(o.projectRoot, 'package.json') },
    ...mods.files,
    ...models,
    { rel: RUNTIME_NODE, abs: join(runtime.dir, 'bin', 'node') },
    { rel: 'runtime/LICENSE', abs: join(runtime.dir, 'LICENSE') },
    ...(o.extraFiles ?? []),
  ];
  const r = await packRelease({
    arch: o.arch,
    version,
    files,
    entry: RELEASE_ENTRY,
    nodeAbi: runtime.abi,
    nodeVersion: runtime.node,
    nativeAddons: mods.addons,
    runtime: { node: runtime.node, arch: o.arch, path: RUNTIME_NODE },
    outDir: o.outDir,
    ...(o.level !== undefined ? { level: o.level } : {}),
    ...(o.now ? { now: o.now } : {}),
  });
  return { ...r, fetched: mods.fetched };
}

/** The `custom` object published in TUF targets metadata for a release (checked before download). */
export function targetCustom(m: ReleaseManifest): Record<string, unknown> {
  return {
    kaoreader: {
      version: m.version,
      arch: m.arch,
      nodeAbi: m.nodeAbi,
      unpackedBytes: m.unpackedBytes,
      ...(m.runtime ? { runtime: m.runtime.node } : {}),
    },
  };
}
