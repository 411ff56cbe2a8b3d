/**
 * Builds a release's node-gyp addons for its target. Every production package with a
 * `binding.gyp` and no prebuild for the target (pcsclite, rpio, a database driver later…) is
 * compiled by node-gyp against the release runtime's own headers (`--nodedir`, so the ABI is
 * the shipped Node's): natively when the target is this machine's arch, otherwise with Debian's
 * cross toolchain (crossbuild-essential-<arch>) linking that arch's multiarch libraries
 * (libpcsclite-dev:arm64…). Cross-building was chosen over building under qemu-user because it
 * is quicker and needs no arm64 root filesystem; the result is checked by its ELF header and
 * then loaded under qemu by test/ota/release/arm64.itest.ts. The build runs in a copy of the
 * package (the project's node_modules keep their host build), cached per package, version,
 * target and ABI under `cacheDir`.
 */
import { execFile } from 'node:child_process';
import { cp, mkdir, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { KaoreaderError } from '../../firmware/core/errors.ts';
import { elfArch } from './elf.ts';
import type { Arch } from './manifest.ts';
import type { ReleaseRuntime } from './runtime.ts';

export class AddonBuildError extends KaoreaderError {
  readonly code = 'ADDON_BUILD';
}

export interface Toolchain {
  /** node-gyp's --arch. */
  readonly gypArch: 'x64' | 'arm64';
  /** Extra environment: the cross compilers and pkg-config's library dir; empty when native. */
  readonly env: Readonly<Record<string, string>>;
  /** What the manifest says about how it was built. */
  readonly description: string;
}

const TRIPLET: Record<Arch, string> = { 'linux-arm64': 'aarch64-linux-gnu', 'linux-x64': 'x86_64-linux-gnu' };

export function toolchainFor(arch: Arch, hostCpu: string = process.arch): Toolchain {
  const cpu = arch === 'linux-arm64' ? 'arm64' : 'x64';
  if (cpu === hostCpu) return { gypArch: cpu, env: {}, description: `built natively (g++) for ${arch}` };
  const t = TRIPLET[arch];
  return {
    gypArch: cpu,
    env: {
      CC: `${t}-gcc`,
      CXX: `${t}-g++`,
      LINK: `${t}-g++`,
      AR: `${t}-ar`,
      STRIP: `${t}-strip`,
      PKG_CONFIG_LIBDIR: `/usr/lib/${t}/pkgconfig:/usr/share/pkgconfig`,
    },
    description: `cross-built with ${t}-g++ (Debian crossbuild-essential) for ${arch}`,
  };
}

/**
 * Binaries a package's binding.gyp builds that are not Node addons and that nothing on the
 * device loads: left out of the release (and of doctor's loading check).
 */
export const NOT_ADDONS: Readonly<Record<string, readonly string[]>> = {
  // an SQLite extension for the package's own tests
  'better-sqlite3': ['build/Release/test_extension.node'],
};

export interface AddonBuild {
  /** The built package copy: its `build/Release/*.node` are the binaries. */
  readonly dir: string;
  /** Paths of the binaries, relative to `dir`. */
  readonly binaries: readonly string[];
  readonly note: string;
}

/** Builds (or takes from the cache) one addon for the target. */
export type AddonBuilder = (pkg: { readonly name: string; readonly version: string; readonly dir: string }) => Promise<AddonBuild>;

export type Runner = (cmd: string, args: readonly string[], opts: { cwd: string; env: NodeJS.ProcessEnv }) => Promise<void>;

const runFile: Runner = (cmd, args, opts) =>
  new Promise((resolve, reject) => {
    execFile(cmd, args, { ...opts, timeout: 15 * 60_000, maxBuffer: 32 * 1024 * 1024 }, (err, _stdout, stderr) => {
      if (err)
        reject(
          new AddonBuildError(
            `${cmd} ${args.join(' ')} failed in ${opts.cwd}: ${stderr.trim().split('\n').slice(-15).join('\n') || err.message}`,
            { cause: err },
          ),
        );
      else resolve();
    });
  });

export interface AddonBuilderOptions {
  readonly projectRoot: string;
  readonly arch: Arch;
  readonly runtime: ReleaseRuntime;
  readonly cacheDir: string;
  readonly hostCpu?: string;
  readonly run?: Runner;
}

interface Stamp {
  readonly name: string;
  readonly version: string;
  readonly arch: Arch;
  readonly abi: string;
  readonly node: string;
  readonly binaries: readonly string[];
  readonly note: string;
}

async function readStamp(path: string): Promise<Stamp | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as Stamp;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** The other packages next to the copy, as links, so `require('nan')` in binding.gyp resolves. */
async function linkSiblings(projectModules: string, modules: string, self: string): Promise<void> {
  for (const e of await readdir(projectModules, { withFileTypes: true })) {
    if (e.name.startsWith('.')) continue;
    if (e.name.startsWith('@') && e.isDirectory()) {
      await mkdir(join(modules, e.name), { recursive: true });
      for (const s of await readdir(join(projectModules, e.name))) {
        if (`${e.name}/${s}` !== self) await symlink(join(projectModules, e.name, s), join(modules, e.name, s));
      }
    } else if (e.name !== self) await symlink(join(projectModules, e.name), join(modules, e.name));
  }
}

export function nodeGypAddonBuilder(o: AddonBuilderOptions): AddonBuilder {
  const tc = toolchainFor(o.arch, o.hostCpu);
  const run = o.run ?? runFile;
  const nodeGyp = join(o.projectRoot, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
  return async (pkg) => {
    const key = `${pkg.name.replace('/', '+')}@${pkg.version}`;
    const root = join(o.cacheDir, o.arch, `node-${o.runtime.node}`, key);
    const dir = join(root, 'node_modules', pkg.name);
    const stampFile = join(root, 'built.json');
    const cached = await readStamp(stampFile);
    if (cached && cached.abi === o.runtime.abi && cached.node === o.runtime.node) {
      return { dir, binaries: cached.binaries.filter((b) => !(NOT_ADDONS[pkg.name] ?? []).includes(b)), note: cached.note };
    }
    await rm(root, { recursive: true, force: true });
    await mkdir(join(root, 'node_modules'), { recursive: true });
    const own = join(pkg.dir, 'build');
    await cp(pkg.dir, dir, { recursive: true, filter: (src) => src !== own && !src.startsWith(`${own}/`) });
    await linkSiblings(join(o.projectRoot, 'node_modules'), join(root, 'node_modules'), pkg.name);
    await run(process.execPath, [nodeGyp, 'rebuild', `--arch=${tc.gypArch}`, `--nodedir=${o.runtime.dir}`, '--jobs=2'], {
      cwd: dir,
      env: { ...process.env, ...tc.env, npm_config_nodedir: o.runtime.dir },
    });
    const release = join(dir, 'build', 'Release');
    const binaries = (await readdir(release))
      .filter((f) => f.endsWith('.node'))
      .map((f) => `build/Release/${f}`)
      .filter((b) => !(NOT_ADDONS[pkg.name] ?? []).includes(b));
    if (binaries.length === 0) throw new AddonBuildError(`${pkg.name}: node-gyp produced no .node file in ${release}`);
    for (const b of binaries) {
      const got = await elfArch(join(dir, b));
      if (got !== o.arch) throw new AddonBuildError(`${pkg.name}: ${b} was built for ${got ?? 'no ELF machine'}, not ${o.arch}`);
    }
    const note = `${tc.description}, Node ${o.runtime.node} headers (ABI ${o.runtime.abi})`;
    await writeFile(
      stampFile,
      JSON.stringify({
        name: pkg.name,
        version: pkg.version,
        arch: o.arch,
        abi: o.runtime.abi,
        node: o.runtime.node,
        binaries,
        note,
      } satisfies Stamp),
    );
    return { dir, binaries, note };
  };
}
