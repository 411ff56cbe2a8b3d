/** `kaoreader release build`: pack a self-contained release tarball for one architecture. */
import { join } from 'node:path';
import { buildRelease } from '../../../ota/release/build.ts';
import { ARCHES, isArch } from '../../../ota/release/manifest.ts';
import { npmPackFetcher } from '../../../ota/release/npm-platform.ts';
import { parse, UsageError } from '../../args.ts';
import type { Command } from '../../command.ts';

const root = new URL('../../../', import.meta.url).pathname;

export const buildCommand: Command = {
  name: 'build',
  summary: 'pack a release tarball for linux-arm64 or linux-x64',
  usage: `kaoreader release build --arch ${ARCHES.join('|')} [--out DIR] [--version X.Y.Z] [--level 0-9]

Packs sources + bin, production node_modules for the arch (native prebuilds picked per arch;
platform packages for another arch fetched with "npm pack" and checked against the lock file),
the face-api weights (model conversion inputs) and manifest.json (version, arch, Node ABI,
file hashes). node-gyp addons without prebuilds (pcsclite, rpio) cannot be cross-built: the
manifest lists them as "missing". Prints a JSON summary.`,
  async run(argv, ctx) {
    const { values } = parse(argv, { arch: { type: 'string' }, out: { type: 'string' }, version: { type: 'string' }, level: { type: 'string' } });
    if (!isArch(values.arch)) throw new UsageError(`--arch must be one of ${ARCHES.join(', ')}`);
    const started = Date.now();
    const r = await buildRelease({
      projectRoot: root,
      arch: values.arch,
      outDir: values.out ?? join(root, 'build', 'releases'),
      fetchPackage: npmPackFetcher(join(root, 'var', 'cache', 'ota-npm')),
      ...(values.version ? { version: values.version } : {}),
      ...(values.level ? { level: Number(values.level) } : {}),
    });
    const m = r.manifest;
    ctx.stdout.write(`${JSON.stringify({ file: r.file, bytes: r.bytes, version: m.version, arch: m.arch, nodeAbi: m.nodeAbi, files: Object.keys(m.files).length, unpackedBytes: m.unpackedBytes, nativeAddons: m.nativeAddons, fetched: r.fetched, ms: Date.now() - started }, null, 2)}\n`);
    return 0;
  },
};
