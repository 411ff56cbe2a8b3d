/**
 * Where things live on the device. The release side, under one base directory (/opt/kaoreader,
 * owned by root and only read by the daemon):
 *   releases/<version>/   unpacked releases (a directory exists only once complete)
 *   current -> releases/<version>   the release systemd starts (swapped by rename(2))
 *   committed -> releases/<version> the last committed one: the installer unit runs from it,
 *                         so a broken release on trial cannot break its own rollback
 *   bin/kaoreader-start-guard       copied out of the committed release
 *   ota/trial             "<version> <from> <attempts>" while a new release is on trial
 *   ota/rollback          "<version> <reason…>" written when a trial was rolled back
 *   ota/tuf/              the installer's own trusted TUF metadata (root.json at install)
 *   ota/staging/          the installer's copy of a download while it is verified and unpacked
 * The daemon's side, in its state folder (reader.stateDir, /var/lib/kaoreader by default: the
 * one folder the daemon writes, beside its outbox, keys and settings; survives every update):
 *   ota/tuf/              the daemon's trusted TUF metadata (root.json at install)
 *   ota/downloads/        partial and verified downloads
 *   ota/agent.json        floor, blocked versions, last outcome
 *   ota/restart-intentional   present while an intentional restart is under way
 *   ota/request.json, ota/response.json   asking the installer unit (unit-installer.ts)
 * The same two places whoever writes the release side (DirectInstaller in the daemon, or the
 * installer unit): the start guard finds them by BASE and STATE_DIR (start-guard.sh).
 */
import { readlink } from 'node:fs/promises';
import { basename, join } from 'node:path';

export interface Layout {
  readonly base: string;
  readonly releases: string;
  readonly current: string;
  readonly committed: string;
  /** The installer's files (trial, rollback). */
  readonly installDir: string;
  /** The installer's private copies of downloads (take-download.ts). */
  readonly staging: string;
  readonly stateDir: string;
  /** The daemon's OTA files. */
  readonly otaDir: string;
  readonly tufDir: string;
  readonly downloads: string;
  readonly trialFile: string;
  readonly rollbackFile: string;
  readonly intentFile: string;
  readonly agentState: string;
  readonly requestFile: string;
  readonly responseFile: string;
}

export function layoutOf(base: string, stateDir: string): Layout {
  const otaDir = join(stateDir, 'ota');
  const installDir = join(base, 'ota');
  return {
    base,
    releases: join(base, 'releases'),
    current: join(base, 'current'),
    committed: join(base, 'committed'),
    installDir,
    staging: join(installDir, 'staging'),
    stateDir,
    otaDir,
    tufDir: join(otaDir, 'tuf'),
    downloads: join(otaDir, 'downloads'),
    trialFile: join(installDir, 'trial'),
    rollbackFile: join(installDir, 'rollback'),
    intentFile: join(otaDir, 'restart-intentional'),
    agentState: join(otaDir, 'agent.json'),
    requestFile: join(otaDir, 'request.json'),
    responseFile: join(otaDir, 'response.json'),
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
