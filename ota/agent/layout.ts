/**
 * Where things live on the device, under one base directory (e.g. /opt/kaoreader):
 *   releases/<version>/   unpacked releases (a directory exists only once complete)
 *   current -> releases/<version>   the release systemd starts (swapped by rename(2))
 *   state/                survives every update (outbox, keys, consent history; ota/ below)
 *   state/ota/tuf/        trusted TUF metadata (root.json provisioned at install)
 *   state/ota/downloads/  partial and verified downloads
 *   state/ota/trial       "<version> <from> <attempts>" while a new release is on trial
 *   state/ota/rollback    "<version> <reason…>" written when a trial was rolled back
 *   state/ota/restart-intentional   present while an intentional restart is under way
 */
import { readlink } from 'node:fs/promises';
import { basename, join } from 'node:path';

export interface Layout {
  readonly base: string;
  readonly releases: string;
  readonly current: string;
  readonly stateDir: string;
  readonly otaDir: string;
  readonly tufDir: string;
  readonly downloads: string;
  readonly trialFile: string;
  readonly rollbackFile: string;
  readonly intentFile: string;
  readonly agentState: string;
}

export function layoutOf(base: string): Layout {
  const otaDir = join(base, 'state', 'ota');
  return {
    base,
    releases: join(base, 'releases'),
    current: join(base, 'current'),
    stateDir: join(base, 'state'),
    otaDir,
    tufDir: join(otaDir, 'tuf'),
    downloads: join(otaDir, 'downloads'),
    trialFile: join(otaDir, 'trial'),
    rollbackFile: join(otaDir, 'rollback'),
    intentFile: join(otaDir, 'restart-intentional'),
    agentState: join(otaDir, 'agent.json'),
  };
}

/** The version `current` points at, or undefined when there is no link yet. */
export async function currentVersion(l: Layout): Promise<string | undefined> {
  try {
    return basename(await readlink(l.current));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}
