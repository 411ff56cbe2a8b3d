/**
 * Stages a chosen release next to the running one: free-space check, resumable download to
 * `downloads/<name>.part` (with an overall deadline), length + SHA-256 check with tuf-js before
 * anything is unpacked, rename to the verified name, then install into `releases/<version>` (the
 * installer). Emits progress events. A verified download survives a crash; a bad one is deleted.
 */
import { createReadStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock } from '../../firmware/ports/clock.ts';
import { fsyncDir } from '../fsx.ts';
import { ensureSpace, freeBytes } from './disk.ts';
import { downloadWithResume } from './download.ts';
import { UpdateRejectedError } from './errors.ts';
import type { OtaEvent } from './events.ts';
import type { ReleaseInstaller } from './installer.ts';
import type { Layout } from './layout.ts';
import type { ReleaseTarget } from './select.ts';
import type { OfferedTarget } from './tuf-client.ts';
import { exists } from '../../firmware/core/fs.ts';

/** An `unpack` progress event at the first entry and then every this many entries. */
export const UNPACK_EVERY = 25;

export interface StageInput {
  readonly layout: Layout;
  readonly installer: ReleaseInstaller;
  readonly choice: ReleaseTarget;
  readonly target: OfferedTarget;
  readonly arch: string;
  readonly nodeAbi: string;
  readonly emit: (e: OtaEvent) => void;
  readonly freeBytes?: (dir: string) => Promise<number>;
  readonly signal?: AbortSignal;
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Times the download's overall deadline. */
  readonly clock: Pick<Clock, 'setTimeout'>;
}

async function verify(target: OfferedTarget, file: string): Promise<void> {
  try {
    await target.info.verify(createReadStream(file));
  } catch (err) {
    await rm(file, { force: true });
    throw new UpdateRejectedError('target-hash', `downloaded ${target.path} does not match its signed length and hash`, { cause: err });
  }
}

export async function stageRelease(s: StageInput): Promise<void> {
  const { layout: l, target, emit } = s;
  const version = s.choice.version;
  const name = target.path.replace(/[^A-Za-z0-9._-]/g, '_');
  const part = join(l.downloads, `${name}.part`);
  const done = join(l.downloads, name);
  await mkdir(l.downloads, { recursive: true });
  for (const n of await readdir(l.downloads)) if (n !== name && n !== `${name}.part`) await rm(join(l.downloads, n), { force: true });
  if (!(await exists(done))) {
    const have = await stat(part).then(
      (st) => st.size,
      () => 0,
    );
    await ensureSpace(l.base, Math.max(0, target.info.length - have) + s.choice.unpackedBytes, s.freeBytes ?? freeBytes);
    let shown = -1;
    await downloadWithResume({
      url: target.url,
      dest: part,
      length: target.info.length,
      clock: s.clock,
      ...(s.signal ? { signal: s.signal } : {}),
      ...(s.sleep ? { sleep: s.sleep } : {}),
      onProgress: (bytes, total) => {
        // at most ~100 progress events per download (the screen and MQTT subscribe)
        if (bytes !== total && shown >= 0 && bytes - shown < total / 100) return;
        shown = bytes;
        emit({ type: 'download', version, bytes, total });
      },
    });
    emit({ type: 'downloaded', version });
    await verify(target, part);
    await rename(part, done);
    await fsyncDir(l.downloads);
  } else await verify(target, done);
  emit({ type: 'verified', version });
  try {
    // a release that brings its own runtime is checked against its own ABI, not the one running now
    const nodeAbi = s.choice.runtime ? s.choice.nodeAbi : s.nodeAbi;
    await s.installer.unpack({ version, file: done, target: target.path, expect: { version, arch: s.arch, nodeAbi } }, (entries) => {
      if (entries === 1 || entries % UNPACK_EVERY === 0) emit({ type: 'unpack', version, entries });
    });
  } catch (err) {
    if (err instanceof UpdateRejectedError) await rm(done, { force: true });
    throw err;
  }
  emit({ type: 'unpacked', version });
  await rm(done, { force: true });
}
