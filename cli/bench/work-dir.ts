/**
 * A bench's work folder (databases, journals, a broker's files): made fresh under the system's
 * temporary folder and removed when the bench ends, however it ends, unless the user asked to
 * keep it (`--keep`) to look inside. A facility bench leaves ≈ 110 MB behind otherwise.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export async function withWorkDir<T>(prefix: string, keep: boolean, run: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  try {
    return await run(dir);
  } finally {
    if (!keep) await rm(dir, { recursive: true, force: true });
  }
}
