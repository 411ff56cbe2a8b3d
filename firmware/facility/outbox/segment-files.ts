/**
 * The active outbox segment's file descriptors: one opened O_DSYNC (each write returns once
 * its bytes and the file size are on disk: write + fdatasync in one call) for batches that
 * hold records, and one plain append descriptor for ack-only batches, which need no sync.
 */
import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';

/** Durable appends: each write returns once data and size are on disk (write + fdatasync in one call). */
const DSYNC_APPEND = constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_DSYNC;

/** The active segment, open twice: synchronous-data for batches with records, plain for ack-only batches. */
export interface SegmentFiles {
  readonly sync: FileHandle;
  readonly lazy: FileHandle;
}
export async function openSegment(path: string): Promise<SegmentFiles> {
  const sync = await open(path, DSYNC_APPEND, 0o600);
  try {
    return { sync, lazy: await open(path, 'a', 0o600) };
  } catch (err) {
    await sync.close();
    throw err;
  }
}
export async function closeSegment(f: SegmentFiles): Promise<void> {
  await Promise.allSettled([f.sync.close(), f.lazy.close()]);
}
