/** `kaoreader release build`: pack a self-contained release tarball for one architecture. */
import { copyFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ensureSelfTestPhoto } from '../../../hardware-sim/card/self-test-photo.ts';
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

Packs the compiled JavaScript (tsc, on this machine) and its entry, the production node_modules
for the arch (prebuilds picked per arch; platform packages for another arch fetched with
"npm pack" and checked against the lock file; every node-gyp addon built for the release's
runtime, cross-compiled with Debian's toolchain for another arch), the pinned Node.js runtime
(node-linux-<cpu>), the converted face models and manifest.json. Prints a JSON summary whose
"missing" lists native addons the release lacks (it must be empty) and "runtime" the Node.js
the units run. Beside the tarball: kaoreader-install.sh, the one install command for a Pi
(docs/raspberry-pi.md). Intermediate files and the addon cache: build/work.`,
  async run(argv, ctx) {
    const { values } = parse(argv, {
      arch: { type: 'string' },
      out: { type: 'string' },
      version: { type: 'string' },
      level: { type: 'string' },
    });
    if (!isArch(values.arch)) throw new UsageError(`--arch must be one of ${ARCHES.join(', ')}`);
    const started = Date.now();
    const photo = await ensureSelfTestPhoto(join(root, 'var', 'self-test', 'face.jp2'));
    const r = await buildRelease({
      extraFiles: [{ rel: 'var/self-test/face.jp2', abs: photo }],
      projectRoot: root,
      arch: values.arch,
      outDir: values.out ?? join(root, 'build', 'releases'),
      workDir: join(root, 'build', 'work'),
      fetchPackage: npmPackFetcher(join(root, 'var', 'cache', 'ota-npm')),
      ...(values.version ? { version: values.version } : {}),
      ...(values.level ? { level: Number(values.level) } : {}),
    });
    const m = r.manifest;
    // the one install command for a Pi goes beside the tarball (docs/raspberry-pi.md)
    const installer = join(dirname(r.file), 'kaoreader-install.sh');
    await copyFile(join(root, 'ota', 'install', 'install.sh'), installer);
    const missing = m.nativeAddons.filter((a) => a.status === 'missing').map((a) => `${a.package}: ${a.note}`);
    ctx.stdout.write(
      `${JSON.stringify({ file: r.file, installer, bytes: r.bytes, version: m.version, arch: m.arch, runtime: m.runtime, nodeAbi: m.nodeAbi, files: Object.keys(m.files).length, unpackedBytes: m.unpackedBytes, missing, nativeAddons: m.nativeAddons, fetched: r.fetched, ms: Date.now() - started }, null, 2)}\n`,
    );
    return missing.length > 0 ? 1 : 0;
  },
};
