/**
 * The production `node_modules` of a release for one architecture, from package-lock.json:
 * dev-only packages and the runtime packages (node-linux-*, shipped as `runtime/`, see
 * runtime.ts) left out; optional platform packages (sharp's `@img/*`) chosen for the target and
 * fetched from the registry when this machine has another arch; files pruned for the target
 * (prune.ts). Every node-gyp addon without a prebuild for the target is built for it (addons.ts),
 * whatever the package, so a new native dependency needs nothing here. Each native binary's ELF
 * header is checked against the target: a wrong or absent one is recorded as missing.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AddonBuilder } from './addons.ts';
import { elfArch } from './elf.ts';
import type { Arch, NativeAddon } from './manifest.ts';
import type { PackageFetcher } from './npm-platform.ts';
import { exists } from '../../firmware/core/fs.ts';
import { keepFile, SUBSETS } from './prune.ts';

export interface FileRef {
  readonly rel: string;
  readonly abs: string;
}

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

/** Runtime packages: the release carries the target's one as runtime/, never in node_modules. */
export const isRuntimePackage = (name: string): boolean => /^node-linux-[a-z0-9]+$/.test(name);

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

const isBinary = (rel: string): boolean => rel.endsWith('.node') || /\.so(\.\d+)*$/.test(rel);

export interface ModulesResult {
  readonly files: FileRef[];
  readonly addons: NativeAddon[];
  readonly fetched: string[];
}

export interface ModulesOptions {
  readonly fetchPackage: PackageFetcher;
  readonly buildAddon: AddonBuilder;
}

export async function productionModules(projectRoot: string, arch: Arch, o: ModulesOptions): Promise<ModulesResult> {
  const cpu = arch.slice('linux-'.length);
  const lock = JSON.parse(await readFile(join(projectRoot, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
  const files: FileRef[] = [];
  const addons: NativeAddon[] = [];
  const fetched: string[] = [];
  for (const [key, entry] of Object.entries(lock.packages)) {
    if (!key.startsWith('node_modules/') || entry.dev || entry.link) continue;
    const name = key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length);
    if (isRuntimePackage(name)) continue;
    const platformSpecific = Boolean(entry.cpu || entry.libc);
    if (platformSpecific && !matchesTarget(entry, cpu)) continue;
    let dir = join(projectRoot, key);
    if (!(await exists(join(dir, 'package.json')))) {
      if (!platformSpecific || !entry.version) continue;
      dir = await o.fetchPackage(name, entry.version, entry.integrity);
      fetched.push(`${name}@${entry.version}`);
    }
    const gyp = await exists(join(dir, 'binding.gyp'));
    const rels = (await walk(dir)).filter((r) => keepFile(r, cpu, gyp ? 'gyp' : 'plain', SUBSETS[name]));
    for (const r of rels) files.push({ rel: `${key}/${r}`, abs: join(dir, r) });
    let binaries = rels.filter(isBinary).map((r) => ({ rel: `${key}/${r}`, abs: join(dir, r) }));
    let note = platformSpecific ? `platform package for ${arch}` : `ships binaries for ${arch}`;
    if (gyp) {
      const prebuilt = binaries.some((b) => b.rel.includes('/prebuilds/'));
      if (prebuilt) note = `prebuilt for ${arch} (N-API)`;
      else {
        const built = await o.buildAddon({ name, version: entry.version ?? '0.0.0', dir });
        binaries = built.binaries.map((b) => ({ rel: `${key}/${b}`, abs: join(built.dir, b) }));
        files.push(...binaries);
        note = built.note;
      }
    }
    if (!gyp && binaries.length === 0) continue;
    const wrong: string[] = [];
    for (const b of binaries) {
      const got = await elfArch(b.abs);
      if (got !== undefined && got !== arch) wrong.push(`${b.rel} is ${got}`);
    }
    const missing = binaries.length === 0 || wrong.length > 0;
    addons.push({
      package: name,
      status: missing ? 'missing' : 'included',
      files: binaries.map((b) => b.rel),
      note: missing ? (wrong.length > 0 ? `wrong architecture: ${wrong.join(', ')}` : `no binary for ${arch}`) : note,
    });
  }
  return { files, addons, fetched };
}
