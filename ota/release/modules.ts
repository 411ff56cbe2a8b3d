/**
 * The production `node_modules` of a release for one architecture, from package-lock.json:
 * dev-only packages left out; optional platform packages (sharp's `@img/*`, esbuild's) chosen
 * for the target (fetched from the registry when this machine has another arch); per-arch
 * prebuilds pruned (`prebuilds/*-linux-<cpu>`, onnxruntime-node's `bin/napi-v*\/linux/<cpu>`);
 * node-gyp addons without prebuilds included only when built on the same arch, otherwise
 * recorded as missing (they cannot be cross-built here).
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Arch, NativeAddon } from './manifest.ts';
import type { PackageFetcher } from './npm-platform.ts';
import { exists } from '../../firmware/core/fs.ts';

export interface FileRef { readonly rel: string; readonly abs: string }

interface LockEntry {
  readonly version?: string;
  readonly integrity?: string;
  readonly dev?: boolean;
  readonly optional?: boolean;
  readonly link?: boolean;
  readonly cpu?: readonly string[];
  readonly os?: readonly string[];
  readonly libc?: readonly string[];
}

function allows(list: readonly string[] | undefined, value: string): boolean {
  if (!list || list.length === 0) return true;
  if (list.includes(`!${value}`)) return false;
  const positive = list.filter((x) => !x.startsWith('!'));
  return positive.length === 0 || positive.includes(value);
}

export function matchesTarget(e: LockEntry, cpu: string): boolean {
  return allows(e.os, 'linux') && allows(e.cpu, cpu) && allows(e.libc, 'glibc');
}

const MAX_FILES = 200_000;

/** Every regular file under `dir` (relative, '/'), not descending into nested node_modules. */
export async function walk(dir: string, skip: (rel: string) => boolean = () => false): Promise<string[]> {
  const out: string[] = [];
  const stack: string[] = [''];
  while (stack.length > 0) {
    const rel = stack.pop() as string;
    for (const d of await readdir(join(dir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${d.name}` : d.name;
      if (skip(r)) continue;
      if (d.isDirectory()) {
        if (d.name !== 'node_modules') stack.push(r);
      } else if (d.isFile()) out.push(r);
      if (out.length > MAX_FILES) throw new Error(`more than ${MAX_FILES} files under ${dir}`);
    }
  }
  return out.sort();
}

/**
 * False for files that belong to another architecture or are node-gyp build intermediates.
 * `addon`: 'gyp-only' (binding.gyp, no prebuilds), 'gyp-prebuilt' (binding.gyp + prebuilds), 'none'.
 */
export function keepForArch(rel: string, cpu: string, addon: 'gyp-only' | 'gyp-prebuilt' | 'none', sameArch: boolean): boolean {
  const parts = rel.split('/');
  const pi = parts.indexOf('prebuilds');
  if (pi >= 0 && parts.length > pi + 1 && parts[pi + 1] !== undefined) {
    const tag = parts[pi + 1] as string;
    if (!tag.endsWith(`linux-${cpu}`)) return false;
  }
  const napi = parts.findIndex((p) => /^napi-v\d+$/.test(p));
  if (napi >= 0 && parts[napi - 1] === 'bin' && parts.length > napi + 2) {
    if (parts[napi + 1] !== 'linux' || parts[napi + 2] !== cpu) return false;
  }
  if (parts[0] === 'build' && addon !== 'none') {
    if (addon === 'gyp-prebuilt' || !sameArch) return false;
    return parts[1] === 'Release' && parts.length === 3 && rel.endsWith('.node');
  }
  return true;
}

export interface ModulesResult {
  readonly files: FileRef[];
  readonly addons: NativeAddon[];
  readonly fetched: string[];
}

export async function productionModules(projectRoot: string, arch: Arch, fetchPackage: PackageFetcher, hostCpu = process.arch): Promise<ModulesResult> {
  const cpu = arch.slice('linux-'.length);
  const sameArch = cpu === hostCpu && process.platform === 'linux';
  const lock = JSON.parse(await readFile(join(projectRoot, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
  const files: FileRef[] = [];
  const addons: NativeAddon[] = [];
  const fetched: string[] = [];
  for (const [key, entry] of Object.entries(lock.packages)) {
    if (!key.startsWith('node_modules/') || entry.dev || entry.link) continue;
    const name = key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length);
    const platformSpecific = Boolean(entry.cpu || entry.libc);
    if (platformSpecific && !matchesTarget(entry, cpu)) continue;
    let dir = join(projectRoot, key);
    if (!(await exists(join(dir, 'package.json')))) {
      if (!platformSpecific || !entry.version) continue;
      dir = await fetchPackage(name, entry.version, entry.integrity);
      fetched.push(`${name}@${entry.version}`);
    }
    const gyp = await exists(join(dir, 'binding.gyp'));
    const hasPrebuilds = await exists(join(dir, 'prebuilds'));
    const gypOnly = gyp && !hasPrebuilds;
    const rels = (await walk(dir)).filter((r) => keepForArch(r, cpu, gypOnly ? 'gyp-only' : gyp ? 'gyp-prebuilt' : 'none', sameArch));
    for (const r of rels) files.push({ rel: `${key}/${r}`, abs: join(dir, r) });
    const binaries = rels.filter((r) => r.endsWith('.node') || /\.so(\.\d+)*$/.test(r)).map((r) => `${key}/${r}`);
    if (gyp || binaries.length > 0) {
      const missing = gypOnly && !sameArch;
      addons.push({
        package: name,
        status: missing || binaries.length === 0 ? 'missing' : 'included',
        files: binaries,
        note: missing
          ? `node-gyp addon without prebuilds: cannot be cross-built for ${arch} here; build it on a ${arch} machine with Node ABI ${process.versions.modules} and add build/Release/*.node`
          : hasPrebuilds ? `prebuilt for ${arch}` : gyp ? `built on this ${arch} machine for Node ABI ${process.versions.modules}` : platformSpecific ? `platform package for ${arch}` : `ships binaries for ${arch}`,
      });
    }
  }
  return { files, addons, fetched };
}
