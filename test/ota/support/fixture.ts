/**
 * Builds what the OTA tests need on disk: small synthetic releases (real tarballs with a real
 * manifest, made by the release tooling without node_modules), a signed TUF repository
 * holding them, and a device base directory with `current` pointing at an installed release
 * and the repository's root.json provisioned as trust anchor.
 */
import { randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packFolder, targetCustom } from '../../../ota/release/build.ts';
import type { Arch, ReleaseManifest } from '../../../ota/release/manifest.ts';
import { installRelease } from '../../../ota/agent/install.ts';
import { TufRepository } from '../../../ota/tuf/repository.ts';

const GUARD = new URL('../../../ota/systemd/start-guard.sh', import.meta.url).pathname;

export interface Behaviour {
  readonly crash?: boolean;
  readonly selfTest?: 'ok' | 'fail';
}

export interface BuiltRelease {
  readonly file: string;
  readonly manifest: ReleaseManifest;
}

/** A release with a bin, some sources, a `behaviour.json` (read by the test device program) and padding. */
export async function makeRelease(
  work: string,
  version: string,
  opts: { arch?: Arch; behaviour?: Behaviour; paddingBytes?: number; nodeAbi?: string; extraFiles?: number } = {},
): Promise<BuiltRelease> {
  const src = join(work, `src-${version}-${opts.arch ?? 'linux-x64'}`);
  mkdirSync(join(src, 'bin'), { recursive: true });
  mkdirSync(join(src, 'firmware', 'deep', 'a-rather-long-directory-name-to-need-pax-headers', 'and-another-long-one-to-pass-100-bytes'), {
    recursive: true,
  });
  writeFileSync(join(src, 'package.json'), JSON.stringify({ name: 'kaoreader', version, bin: { kaoreader: 'bin/kaoreader.js' } }));
  writeFileSync(join(src, 'bin', 'kaoreader.js'), `#!/usr/bin/env node\nconsole.log('kaoreader ${version}');\n`, { mode: 0o755 });
  writeFileSync(
    join(src, 'firmware', 'deep', 'a-rather-long-directory-name-to-need-pax-headers', 'and-another-long-one-to-pass-100-bytes', 'file.ts'),
    `export const v = '${version}';\n`,
  );
  writeFileSync(join(src, 'firmware', 'behaviour.json'), JSON.stringify(opts.behaviour ?? {}));
  mkdirSync(join(src, 'firmware', 'many'), { recursive: true });
  for (let i = 0; i < (opts.extraFiles ?? 0); i++)
    writeFileSync(join(src, 'firmware', 'many', `f${i}.ts`), `export const n${i} = ${i};\n`.repeat(50));
  writeFileSync(join(src, 'firmware', 'padding.bin'), randomBytes(opts.paddingBytes ?? 256 * 1024));
  mkdirSync(join(src, 'ota', 'systemd'), { recursive: true });
  cpSync(GUARD, join(src, 'ota', 'systemd', 'start-guard.sh'));
  const r = await packFolder({ projectRoot: src, arch: opts.arch ?? 'linux-x64', outDir: join(work, 'out'), version, level: 1 });
  if (opts.nodeAbi) {
    return { file: r.file, manifest: { ...r.manifest, nodeAbi: opts.nodeAbi } };
  }
  return { file: r.file, manifest: r.manifest };
}

export interface Rig {
  readonly work: string;
  readonly repo: TufRepository;
  readonly repoDir: string;
  readonly base: string;
}

/** A repository with release `installed` published, and a device running it. */
export async function makeRig(installed = '1.0.0', behaviour: Behaviour = {}): Promise<Rig & { readonly v1: BuiltRelease }> {
  const work = mkdtempSync(join(tmpdir(), 'kao-ota-'));
  const repoDir = join(work, 'repo');
  const repo = new TufRepository({ repoDir, keysDir: join(work, 'keys') });
  await repo.init();
  const v1 = await makeRelease(work, installed, { behaviour });
  await repo.addTargets([{ file: v1.file, custom: targetCustom(v1.manifest) }]);
  const base = join(work, 'device');
  mkdirSync(join(base, 'releases'), { recursive: true });
  mkdirSync(join(base, 'state', 'ota', 'tuf'), { recursive: true });
  await installRelease(v1.file, join(base, 'releases'), { version: installed, arch: 'linux-x64', nodeAbi: process.versions.modules });
  symlinkSync(join('releases', installed), join(base, 'current'));
  cpSync(join(repoDir, 'metadata', '1.root.json'), join(base, 'state', 'ota', 'tuf', 'root.json'));
  writeFileSync(join(base, 'state', 'outbox.json'), '{"kept":"across updates"}');
  return { work, repo, repoDir, base, v1 };
}

export async function publish(rig: Rig, rel: BuiltRelease): Promise<void> {
  await rig.repo.addTargets([{ file: rel.file, custom: targetCustom(rel.manifest) }]);
}
