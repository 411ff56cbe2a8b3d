/**
 * The device's TUF client: tuf-js refreshes root (following rotations), timestamp, snapshot
 * and targets from the repository and checks signatures, thresholds, expiry, versions and
 * the hashes that tie the roles together. Its errors become UpdateRejectedError reasons.
 * The trusted root is also kept as `trusted-root.json` (atomically), so a torn `root.json`
 * (tuf-js writes in place) is restored instead of bricking updates.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Updater, type TargetFile } from 'tuf-js';
import { BadVersionError, DownloadError, DownloadHTTPError, ExpiredMetadataError, RuntimeError } from 'tuf-js/dist/error.js';
import { writeAtomic } from '../fsx.ts';
import { UpdateFetchError, UpdateRejectedError } from './errors.ts';

export interface OfferedTarget {
  readonly path: string;
  readonly info: TargetFile;
  readonly url: string;
}

export interface TufClientOptions {
  readonly metadataDir: string;
  /** Repository root URL; metadata under `/metadata`, targets under `/targets`. */
  readonly repoUrl: string;
  readonly fetchTimeoutMs?: number;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** Maps a tuf-js failure to a typed refusal (or a fetch failure to retry later). */
export function classifyTufError(err: unknown): UpdateRejectedError | UpdateFetchError {
  const msg = err instanceof Error ? err.message : String(err);
  if (err instanceof ExpiredMetadataError) return new UpdateRejectedError('metadata-expired', msg, { cause: err });
  if (err instanceof BadVersionError) return new UpdateRejectedError('metadata-rollback', msg, { cause: err });
  // tuf-js wraps snapshot/targets failures (version or hash not what the parent role vouched for).
  if (err instanceof RuntimeError) return new UpdateRejectedError('metadata-inconsistent', msg, { cause: err });
  if (err instanceof DownloadHTTPError) return new UpdateFetchError(`repository answered HTTP ${err.statusCode}`, { cause: err });
  if (err instanceof DownloadError) return new UpdateRejectedError('metadata-invalid', `metadata too large: ${msg}`, { cause: err });
  const name = err instanceof Error ? err.constructor.name : '';
  if (name === 'UnsignedMetadataError') return new UpdateRejectedError('metadata-signature', msg, { cause: err });
  if (err instanceof SyntaxError || name === 'ValueError' || name === 'TypeError' || name === 'RepositoryError') {
    return new UpdateRejectedError('metadata-invalid', msg, { cause: err });
  }
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENOTFOUND|EHOSTUNREACH|FETCH_ERROR)/.test(code)) {
    return new UpdateFetchError(`repository unreachable: ${msg}`, { cause: err });
  }
  if (err instanceof Error && err.name === 'FetchError') return new UpdateFetchError(`repository unreachable: ${msg}`, { cause: err });
  return new UpdateRejectedError('metadata-invalid', msg, { cause: err });
}

async function restoreRoot(dir: string): Promise<void> {
  const root = join(dir, 'root.json');
  const backup = join(dirname(dir), 'trusted-root.json');
  let text: string | undefined;
  try {
    text = await readFile(root, 'utf8');
  } catch {
    text = undefined;
  }
  if (text !== undefined && isJson(text)) return;
  let saved: Buffer;
  try {
    saved = await readFile(backup);
  } catch (err) {
    throw new UpdateRejectedError(
      'metadata-invalid',
      `trusted root ${root} is unreadable and there is no ${backup}: provision root.json again`,
      { cause: err },
    );
  }
  await writeAtomic(root, saved);
}

/** Refreshes the metadata and returns every target the trusted targets role lists. */
export async function refreshTargets(o: TufClientOptions): Promise<OfferedTarget[]> {
  await restoreRoot(o.metadataDir);
  const base = o.repoUrl.replace(/\/+$/, '');
  try {
    const updater = new Updater({
      metadataDir: o.metadataDir,
      metadataBaseUrl: `${base}/metadata`,
      config: { fetchTimeout: o.fetchTimeoutMs ?? 30_000, fetchRetries: 0 },
    });
    await updater.refresh();
    await writeAtomic(join(dirname(o.metadataDir), 'trusted-root.json'), await readFile(join(o.metadataDir, 'root.json')));
    const listed = JSON.parse(await readFile(join(o.metadataDir, 'targets.json'), 'utf8')) as {
      signed?: { targets?: Record<string, unknown> };
    };
    const out: OfferedTarget[] = [];
    for (const path of Object.keys(listed.signed?.targets ?? {}).slice(0, 1000)) {
      const info = await updater.getTargetInfo(path);
      if (!info) continue;
      const sha = info.hashes['sha256'];
      const file = sha ? `${sha}.${path}` : path;
      out.push({ path, info, url: `${base}/targets/${encodeURIComponent(file)}` });
    }
    return out;
  } catch (err) {
    throw classifyTufError(err);
  }
}
