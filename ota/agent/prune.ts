/** Keeps at most `keep` release directories: always the current one and the rollback target. */
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { compareVersions, isVersion } from '../release/manifest.ts';

export async function pruneReleases(releasesDir: string, keep: number, protect: readonly (string | undefined)[]): Promise<string[]> {
  const versions = (await readdir(releasesDir)).filter(isVersion).sort(compareVersions).reverse();
  const kept = new Set(protect.filter((v): v is string => v !== undefined && versions.includes(v)));
  for (const v of versions) if (kept.size < keep) kept.add(v);
  const removed = versions.filter((v) => !kept.has(v));
  for (const v of removed) await rm(join(releasesDir, v), { recursive: true, force: true });
  return removed;
}
