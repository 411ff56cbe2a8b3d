/**
 * The privileged half of an update: everything that writes the release side of the layout
 * (releases/, current, the start guard's copy, the trial and rollback notes). DirectInstaller
 * does it in this process, where the daemon may write there (development, tests, one-user
 * installs); in the hardened install the daemon cannot, and UnitInstaller (unit-installer.ts)
 * asks the installer unit, which runs DirectInstaller as root (`kaoreader installer`). Each
 * step is crash-safe on its own (note, then link, then trial file), as the agent relies on.
 */
import { mkdir, readdir, readFile, readlink, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { swapSymlink, writeAtomic } from '../fsx.ts';
import { isVersion } from '../release/manifest.ts';
import { installRelease, type InstallExpect } from './install.ts';
import { currentVersion, type Layout } from './layout.ts';
import { pruneReleases } from './prune.ts';
import { readRollback, readTrial, removeFile, writeRollback, writeTrial, type Trial } from './trial.ts';
import { exists } from '../../firmware/core/fs.ts';

export interface UnpackRequest {
  readonly version: string;
  /** A verified download (the agent's downloads folder). */
  readonly file: string;
  /** The TUF target path it was downloaded as (the installer unit verifies it again). */
  readonly target: string;
  readonly expect: InstallExpect;
}

export interface ReleaseInstaller {
  /** Unpacks into releases/<version> (install.ts: manifest and every file checked). */
  unpack(req: UnpackRequest, onEntry?: (index: number) => void): Promise<void>;
  /** Writes the trial (when there is a release to come back to) and points `current` at `version`. */
  switchTo(version: string, from: string | undefined, onLinked?: () => void): Promise<void>;
  /** Ends a trial: trial file removed, `committed` and the start guard's copy from the release, old releases pruned. */
  commit(trial: Trial, keep: number): Promise<string[]>;
  /** Returns to `trial.from`: rollback note, link back, trial file removed. */
  rollback(trial: Trial, reason: string): Promise<void>;
  /** After a crash: temporary link, partial releases and staged downloads removed, a guard rollback completed, a stale trial dropped, the guard copied when missing. */
  recover(): Promise<void>;
  /** The rollback note was recorded by the agent. */
  forgetRollback(): Promise<void>;
}

function checkVersions(...vs: (string | undefined)[]): void {
  for (const v of vs) if (v !== undefined && !isVersion(v)) throw new Error(`not a release version: ${JSON.stringify(v)}`);
}

export class DirectInstaller implements ReleaseInstaller {
  constructor(readonly layout: Layout) {}

  async unpack(req: UnpackRequest, onEntry?: (index: number) => void): Promise<void> {
    checkVersions(req.version, req.expect.version);
    await mkdir(this.layout.releases, { recursive: true });
    await installRelease(req.file, this.layout.releases, req.expect, onEntry);
  }

  async switchTo(version: string, from: string | undefined, onLinked?: () => void): Promise<void> {
    checkVersions(version, from);
    await mkdir(this.layout.installDir, { recursive: true });
    if (from && from !== version) await writeTrial(this.layout, { version, from, attempts: 0 });
    await swapSymlink(this.layout.current, join('releases', version), onLinked);
  }

  async commit(trial: Trial, keep: number): Promise<string[]> {
    checkVersions(trial.version, trial.from);
    const l = this.layout;
    await removeFile(l.trialFile, l.installDir);
    await swapSymlink(l.committed, join('releases', trial.version));
    await this.#installGuard();
    return pruneReleases(l.releases, keep, [trial.version, trial.from]);
  }

  async rollback(trial: Trial, reason: string): Promise<void> {
    checkVersions(trial.version, trial.from);
    const l = this.layout;
    await writeRollback(l, { version: trial.version, reason: reason.replace(/\s+/g, ' ').slice(0, 500) });
    await swapSymlink(l.current, join('releases', trial.from));
    await removeFile(l.trialFile, l.installDir);
  }

  async recover(): Promise<void> {
    const l = this.layout;
    await mkdir(l.installDir, { recursive: true });
    await mkdir(l.releases, { recursive: true });
    await rm(join(l.base, '.current.tmp'), { force: true });
    await rm(l.staging, { recursive: true, force: true });
    for (const n of await readdir(l.releases))
      if (n.startsWith('.partial-')) await rm(join(l.releases, n), { recursive: true, force: true });
    if (!(await exists(join(l.base, 'bin', 'kaoreader-start-guard')))) await this.#installGuard();
    const trial = await readTrial(l);
    if (!trial && !(await exists(l.committed)) && (await currentVersion(l)) !== undefined)
      await swapSymlink(l.committed, await readlink(l.current));
    if (!trial || !isVersion(trial.version) || !isVersion(trial.from)) {
      if (trial) await removeFile(l.trialFile, l.installDir);
      return;
    }
    const note = await readRollback(l);
    const current = await currentVersion(l);
    if (note && note.version === trial.version) {
      // the guard (or a crash mid-rollback) left the note: finish going back
      if (current !== trial.from) await swapSymlink(l.current, join('releases', trial.from));
      await removeFile(l.trialFile, l.installDir);
    } else if (current !== trial.version && !(current === trial.from && (await exists(join(l.releases, trial.version, 'manifest.json'))))) {
      await removeFile(l.trialFile, l.installDir);
    }
  }

  async forgetRollback(): Promise<void> {
    await removeFile(this.layout.rollbackFile, this.layout.installDir);
  }

  /** Copies the start guard out of the current (committed) release, so a broken trial cannot break it. */
  async #installGuard(): Promise<void> {
    const src = join(this.layout.current, 'ota', 'systemd', 'start-guard.sh');
    if (!(await exists(src))) return;
    await mkdir(join(this.layout.base, 'bin'), { recursive: true });
    await writeAtomic(join(this.layout.base, 'bin', 'kaoreader-start-guard'), await readFile(src), 0o755);
  }
}
