/**
 * The runtime line of `kaoreader doctor`: the Node.js this process runs on, and whether every
 * native addon loads on it. In a release the list is the manifest's (every binary the build
 * put in, whatever the package); in a source checkout, the composition root's native packages.
 * Loading is what fails on a wrong ABI, a wrong CPU or a missing system library.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { result, type Probe } from './probe.ts';

/** The native packages the composition root loads (architecture.md "Native modules"), sharp, and the facility store's SQLite. */
export const NATIVE_PACKAGES = ['pcsclite', 'rpio', 'node-hid', 'onnxruntime-node', 'sharp', 'better-sqlite3'] as const;

interface ManifestAddons {
  readonly version?: string;
  readonly nativeAddons?: readonly { readonly package: string; readonly files: readonly string[] }[];
}

async function manifestOf(root: string): Promise<ManifestAddons | undefined> {
  try {
    return JSON.parse(await readFile(join(root, 'manifest.json'), 'utf8')) as ManifestAddons;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

export function runtimeProbe(root: string = new URL('../../../', import.meta.url).pathname): Probe {
  return {
    name: 'runtime',
    async run() {
      const require = createRequire(join(root, 'package.json'));
      const manifest = await manifestOf(root);
      const targets = manifest?.nativeAddons
        ? manifest.nativeAddons.flatMap((a) =>
            a.files.filter((f) => f.endsWith('.node')).map((f) => ({ name: a.package, id: join(root, f) })),
          )
        : NATIVE_PACKAGES.map((name) => ({ name, id: name }));
      const loaded: string[] = [];
      const failed: string[] = [];
      for (const t of targets) {
        try {
          require(t.id);
          if (!loaded.includes(t.name)) loaded.push(t.name);
        } catch (err) {
          failed.push(`${t.name} (${(err as Error).message.split('\n')[0] ?? ''})`);
        }
      }
      const where = manifest ? `release ${manifest.version ?? '?'}` : 'source checkout';
      const node = `node ${process.version} ${process.platform}-${process.arch} (ABI ${process.versions.modules}), ${where}`;
      return failed.length === 0
        ? result('runtime', 'ok', `${node}; native addons load: ${loaded.join(', ')}`)
        : result('runtime', 'error', `${node}; native addons that do not load: ${failed.join('; ')}`);
    },
  };
}
