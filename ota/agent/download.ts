/**
 * Resumable download of a signed target over HTTP(S): continues a `.part` file with a Range
 * request, never accepts more bytes than the signed length (oversized), treats a server that
 * cannot serve the missing range as a truncated target, and reports progress. Bounded
 * attempts; every request has an idle timeout and obeys the AbortSignal; the whole download
 * (all attempts and the waits between them) has an overall deadline, so a server that trickles
 * a byte now and then cannot hold the agent forever.
 */
import { open, rm, stat, truncate } from 'node:fs/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { CancelledError } from '../../firmware/core/errors.ts';
import type { Clock } from '../../firmware/ports/clock.ts';
import { UpdateFetchError, UpdateRejectedError } from './errors.ts';

export interface DownloadOptions {
  readonly url: string;
  readonly dest: string;
  readonly length: number;
  readonly signal?: AbortSignal;
  readonly idleTimeoutMs?: number;
  readonly maxAttempts?: number;
  readonly onProgress?: (bytes: number, total: number) => void;
  /** Waits between attempts (the injected Clock's sleep); 0.5 s, 1 s, 2 s… Without it, no wait. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Overall deadline for every attempt together; default `defaultDeadlineMs(length)`. */
  readonly deadlineMs?: number;
  /** Times the deadline (the agent's injected clock). */
  readonly clock: Pick<Clock, 'setTimeout'>;
}

/** 10 minutes, or the time the target takes at 64 KiB/s when that is longer. */
export function defaultDeadlineMs(length: number): number {
  return Math.max(10 * 60_000, Math.ceil(length / 65_536) * 1000);
}

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw err;
  }
}

function get(url: string, offset: number, signal: AbortSignal | undefined, idleMs: number): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = (url.startsWith('https:') ? httpsRequest : httpRequest)(
      url,
      { headers: offset > 0 ? { range: `bytes=${offset}-` } : {}, ...(signal ? { signal } : {}) },
      resolve,
    );
    req.setTimeout(idleMs, () => req.destroy(new UpdateFetchError(`no answer from ${url} within ${idleMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}

/** One request; resolves with the bytes now in `dest`. */
async function attempt(o: DownloadOptions, have: number, idleMs: number): Promise<number> {
  const res = await get(o.url, have, o.signal, idleMs);
  if (res.statusCode === 416) {
    res.resume();
    throw new UpdateRejectedError('target-truncated', `server has fewer than the signed ${o.length} bytes (have ${have})`);
  }
  if (res.statusCode !== 200 && res.statusCode !== 206) {
    res.resume();
    throw new UpdateFetchError(`GET ${o.url}: HTTP ${res.statusCode}`);
  }
  let pos = have;
  if (res.statusCode === 200 && have > 0) {
    await truncate(o.dest, 0);
    pos = 0;
  }
  res.setTimeout(idleMs, () => res.destroy(new UpdateFetchError(`download stalled for ${idleMs} ms`)));
  const fd = await open(o.dest, 'a');
  try {
    for await (const chunk of res) {
      const buf = chunk as Buffer;
      if (pos + buf.length > o.length) {
        res.destroy();
        throw new UpdateRejectedError('target-oversized', `server sent more than the signed ${o.length} bytes`);
      }
      await fd.write(buf);
      pos += buf.length;
      o.onProgress?.(pos, o.length);
    }
  } finally {
    await fd.close();
  }
  return pos;
}

export async function downloadWithResume(o: DownloadOptions): Promise<void> {
  const deadlineMs = o.deadlineMs ?? defaultDeadlineMs(o.length);
  const expired = new AbortController();
  const timer = o.clock.setTimeout(
    () => expired.abort(new UpdateFetchError(`download of ${o.url} passed its deadline of ${deadlineMs} ms`)),
    deadlineMs,
  );
  const signal = o.signal ? AbortSignal.any([o.signal, expired.signal]) : expired.signal;
  try {
    await attempts({ ...o, signal }, () => (expired.signal.aborted ? (expired.signal.reason as UpdateFetchError) : undefined));
  } finally {
    timer.cancel();
  }
}

async function attempts(
  o: DownloadOptions & { readonly signal: AbortSignal },
  pastDeadline: () => UpdateFetchError | undefined,
): Promise<void> {
  const idleMs = o.idleTimeoutMs ?? 30_000;
  const maxAttempts = o.maxAttempts ?? 5;
  let lastError: unknown;
  for (let i = 0; i < maxAttempts; i++) {
    if (i > 0 && o.sleep)
      await o.sleep(500 * 2 ** (i - 1), o.signal).catch((err: unknown) => {
        throw pastDeadline() ?? err;
      });
    const late = pastDeadline();
    if (late) throw late;
    if (o.signal.aborted) throw new CancelledError('download', { cause: o.signal.reason });
    let have = await sizeOf(o.dest);
    if (have > o.length) {
      await rm(o.dest, { force: true });
      have = 0;
    }
    if (have === o.length) return;
    o.onProgress?.(have, o.length);
    try {
      const got = await attempt(o, have, idleMs);
      if (got === o.length) return;
      lastError = new UpdateFetchError(`connection closed at ${got} of ${o.length} bytes`);
    } catch (err) {
      if (err instanceof UpdateRejectedError) {
        if (err.reason === 'target-oversized') await rm(o.dest, { force: true });
        throw err;
      }
      const late = pastDeadline();
      if (late) throw late;
      if (o.signal.aborted) throw new CancelledError('download', { cause: err });
      lastError = err;
    }
  }
  const late = pastDeadline();
  if (late) throw late;
  throw lastError instanceof UpdateFetchError
    ? lastError
    : new UpdateFetchError(`download of ${o.url} failed after ${maxAttempts} attempts`, { cause: lastError });
}
