/**
 * The device's OTA agent (a daemon Service). Learns of updates by `trigger()` (the facility
 * command) and by polling; verifies with TUF; downloads with resume after a free-space check;
 * checks size and hash before unpacking into releases/<version>; switches `current`
 * atomically while no visit runs (UpdateLock) and asks for a restart. The new release starts
 * on trial (the start guard counts attempts); after the health window the injected self-tests
 * decide: commit, or roll back to the previous release and report why. `start()` first
 * finishes whatever a crash interrupted: resume a switch, complete a rollback, drop partials.
 */
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../../firmware/core/logger.ts';
import type { HealthCheck, Service } from '../../firmware/ports/service.ts';
import type { Clock, TimerHandle } from '../../firmware/ports/clock.ts';
import { compareVersions } from '../release/manifest.ts';
import { UpdateFetchError, UpdateRejectedError } from './errors.ts';
import type { OtaEvent, OtaListener } from './events.ts';
import { DirectInstaller, type ReleaseInstaller } from './installer.ts';
import { currentVersion, layoutOf, type Layout } from './layout.ts';
import { chooseRelease, releaseTargetOf, type ReleaseTarget } from './select.ts';
import { stageRelease } from './stage.ts';
import { readRecord, writeRecord, type AgentRecord } from './state.ts';
import { markIntentional, readRollback, readTrial, type Trial } from './trial.ts';
import { refreshTargets, type OfferedTarget } from './tuf-client.ts';
import type { Release } from './update-lock.ts';
import { exists } from '../../firmware/core/fs.ts';

export interface OtaAgentDeps {
  /** Base directory (see layout.ts), e.g. /opt/kaoreader. */
  readonly base: string;
  /** The daemon's state folder (reader.stateDir): its OTA files go to `<stateDir>/ota` (layout.ts). */
  readonly stateDir: string;
  /** Who writes the release side; default in this process (DirectInstaller). */
  readonly installer?: (layout: Layout) => ReleaseInstaller;
  /** TUF repository root URL (a static folder served over HTTP(S)). */
  readonly repoUrl: string;
  readonly arch: string;
  readonly nodeAbi: string;
  readonly clock: Clock;
  readonly log: Logger;
  /** Shared with the visit loop: no switch or rollback while a visit runs. */
  readonly lock: { tryBeginUpdate(): Release | undefined };
  /** Self-tests for the trial commit (the daemon's `health()`: reader, camera, face models, display, storage; the facility link reported only). */
  readonly health: () => Promise<readonly HealthCheck[]>;
  /** Ends the process so the service manager starts `current` again. */
  readonly restart: (why: 'update' | 'rollback') => Promise<void>;
  readonly pollIntervalMs?: number;
  readonly healthWindowMs?: number;
  readonly keepReleases?: number;
  readonly busyRetryMs?: number;
  readonly fetchTimeoutMs?: number;
  readonly freeBytes?: (dir: string) => Promise<number>;
}

export type UpdateOutcome =
  | { readonly kind: 'up-to-date'; readonly version: string | undefined }
  | { readonly kind: 'on-trial'; readonly version: string }
  | { readonly kind: 'deferred'; readonly version: string }
  | { readonly kind: 'switched'; readonly version: string };

export interface CheckOptions { readonly version?: string; readonly source?: string; readonly signal?: AbortSignal }

/** Exit status the daemon uses for an intentional restart (the unit's RestartForceExitStatus). */
export const RESTART_EXIT_CODE = 75;


export class OtaAgent implements Service {
  readonly name = 'ota';
  readonly layout: Layout;
  readonly installer: ReleaseInstaller;
  readonly #listeners = new Set<OtaListener>();
  #running: Promise<UpdateOutcome> | undefined;
  #trial: Trial | undefined;
  #timers: TimerHandle[] = [];
  #stopped = false;
  #ending: Promise<void> | undefined;

  constructor(private readonly deps: OtaAgentDeps) {
    this.layout = layoutOf(deps.base, deps.stateDir);
    this.installer = (deps.installer ?? ((l) => new DirectInstaller(l)))(this.layout);
  }

  on(listener: OtaListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #emit(e: OtaEvent): void {
    for (const l of this.#listeners) {
      try {
        l(e);
      } catch (err) {
        this.deps.log.warn('ota listener failed', { err });
      }
    }
  }

  async start(_signal: AbortSignal): Promise<void> {
    this.#stopped = false;
    await this.recover();
    const every = this.deps.pollIntervalMs ?? 0;
    if (every > 0) this.#schedule(every, () => this.#poll(every));
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    for (const t of this.#timers) t.cancel();
    this.#timers = [];
    await this.#running?.catch(() => undefined);
    await this.#ending;
  }

  async health(): Promise<HealthCheck[]> {
    const current = await currentVersion(this.layout);
    return [{ name: 'ota', ok: current !== undefined, detail: current ? `release ${current}${this.#trial ? ' (on trial)' : ''}` : 'no current release link' }];
  }

  /** Starts a check now (facility command); the outcome arrives as events. */
  trigger(source = 'command', version?: string): void {
    this.checkForUpdate({ source, ...(version ? { version } : {}) }).catch((err: unknown) => this.#report(err));
  }

  /** Record before an operator-initiated restart so the start guard does not count it as a failure. */
  async markIntentionalRestart(): Promise<void> {
    await markIntentional(this.layout);
  }

  async status(): Promise<{ current: string | undefined; trial: Trial | undefined; record: AgentRecord }> {
    return { current: await currentVersion(this.layout), trial: await readTrial(this.layout), record: await readRecord(this.layout.agentState) };
  }

  /** One update check; throws UpdateRejectedError (with reason) or UpdateFetchError. Concurrent calls share one run. */
  checkForUpdate(o: CheckOptions = {}): Promise<UpdateOutcome> {
    this.#running ??= this.#check(o).finally(() => { this.#running = undefined; });
    return this.#running;
  }

  #schedule(ms: number, fn: () => void): void {
    if (this.#stopped) return;
    this.#timers.push(this.deps.clock.setTimeout(fn, ms));
  }

  #poll(every: number): void {
    this.trigger('poll');
    this.#schedule(every, () => this.#poll(every));
  }

  #report(err: unknown): void {
    if (err instanceof UpdateRejectedError) {
      this.deps.log.warn('update rejected', { reason: err.reason, detail: err.detail });
      this.#emit({ type: 'rejected', reason: err.reason, detail: err.detail });
    } else {
      const detail = err instanceof Error ? err.message : String(err);
      this.deps.log.warn('update check failed', { detail });
      this.#emit({ type: 'failed', detail });
    }
  }

  async #check(o: CheckOptions): Promise<UpdateOutcome> {
    const l = this.layout;
    this.#emit({ type: 'checking', source: o.source ?? 'api' });
    const current = await currentVersion(l);
    const trial = await readTrial(l);
    if (trial && trial.version === current) return { kind: 'on-trial', version: trial.version };
    const record = await readRecord(l.agentState);
    let offered: OfferedTarget[];
    try {
      offered = await refreshTargets({ metadataDir: l.tufDir, repoUrl: this.deps.repoUrl, ...(this.deps.fetchTimeoutMs ? { fetchTimeoutMs: this.deps.fetchTimeoutMs } : {}) });
    } catch (err) {
      if (err instanceof UpdateRejectedError) await this.#remember({ version: o.version ?? '?', outcome: 'rejected', reason: err.reason });
      throw err;
    }
    const releases: { t: ReleaseTarget; o: OfferedTarget }[] = [];
    for (const off of offered) {
      const t = releaseTargetOf(off.path, off.info.custom);
      if (t) releases.push({ t, o: off });
    }
    let choice: ReleaseTarget | undefined;
    try {
      choice = chooseRelease(releases.map((r) => r.t), { arch: this.deps.arch, nodeAbi: this.deps.nodeAbi, current, floor: record.floor, blocked: record.blocked }, o.version);
    } catch (err) {
      if (err instanceof UpdateRejectedError) await this.#remember({ version: o.version ?? '?', outcome: 'rejected', reason: err.reason });
      throw err;
    }
    if (!choice) {
      this.#emit({ type: 'up-to-date', version: current });
      return { kind: 'up-to-date', version: current };
    }
    const target = releases.find((r) => r.t === choice)?.o as OfferedTarget;
    const version = choice.version;
    this.#emit({ type: 'available', version, bytes: target.info.length });
    if (!(await exists(join(l.releases, version, 'manifest.json')))) {
      try {
        await stageRelease({
          layout: l, installer: this.installer, choice, target, arch: this.deps.arch, nodeAbi: this.deps.nodeAbi,
          emit: (e) => this.#emit(e), sleep: (ms, signal) => this.deps.clock.sleep(ms, signal), clock: this.deps.clock, ...(this.deps.freeBytes ? { freeBytes: this.deps.freeBytes } : {}), ...(o.signal ? { signal: o.signal } : {}),
        });
      } catch (err) {
        if (err instanceof UpdateRejectedError) {
          // a signed release that is itself inconsistent will not get better: do not retry it
          const blocked = err.reason === 'manifest-invalid' ? { blocked: { ...record.blocked, [version]: `${err.reason}: ${err.detail}` } } : {};
          await this.#remember({ version, outcome: 'rejected', reason: err.reason }, blocked);
        }
        throw err;
      }
    }
    return this.#switchTo(version, current);
  }

  async #switchTo(version: string, from: string | undefined): Promise<UpdateOutcome> {
    // The lock stays held until the process restarts: no visit starts on a release being replaced.
    const hold = this.deps.lock.tryBeginUpdate();
    if (!hold) {
      this.#emit({ type: 'deferred', version, reason: 'busy' });
      this.#schedule(this.deps.busyRetryMs ?? 30_000, () => this.trigger('busy-retry', version));
      return { kind: 'deferred', version };
    }
    await this.installer.switchTo(version, from, () => this.#emit({ type: 'linked', version }));
    this.deps.log.info('switched release', { version, from });
    this.#emit({ type: 'switched', version, from });
    this.#emit({ type: 'restarting', why: 'update' });
    await this.deps.restart('update');
    return { kind: 'switched', version };
  }

  async #remember(last: Omit<AgentRecord['last'] & object, 'at'>, patch: Partial<AgentRecord> = {}): Promise<void> {
    const rec = await readRecord(this.layout.agentState);
    await writeRecord(this.layout.agentState, { ...rec, ...patch, last: { ...last, at: this.deps.clock.now() } });
  }

  /** Finishes what a crash interrupted, records a guard rollback, and starts the health window of a trial. */
  async recover(): Promise<void> {
    const l = this.layout;
    await mkdir(l.otaDir, { recursive: true });
    await rm(l.intentFile, { force: true });
    await this.installer.recover();
    const note = await readRollback(l);
    if (note) {
      const rec = await readRecord(l.agentState);
      await this.#remember({ version: note.version, outcome: 'rolled-back', reason: note.reason }, { blocked: { ...rec.blocked, [note.version]: note.reason } });
      await this.installer.forgetRollback();
      this.deps.log.warn('release rolled back', { version: note.version, reason: note.reason });
      this.#emit({ type: 'rolled-back', version: note.version, to: (await currentVersion(l)) ?? '?', reason: note.reason });
    }
    const trial = await readTrial(l);
    if (!trial) return;
    const current = await currentVersion(l);
    if (current === trial.version) {
      this.#trial = trial;
      const windowMs = this.deps.healthWindowMs ?? 120_000;
      this.#emit({ type: 'trial', version: trial.version, attempts: trial.attempts, windowMs });
      this.#schedule(windowMs, () => {
        this.#ending = this.#endTrial(trial).catch((err: unknown) => this.#report(err));
      });
    } else if (current === trial.from && (await exists(join(l.releases, trial.version, 'manifest.json')))) {
      this.deps.log.info('resuming interrupted switch', { version: trial.version });
      await this.#switchTo(trial.version, trial.from);
    }
  }

  /**
   * The end of the health window: the self-tests run while no visit does (they use the camera,
   * the face models and the screen; a visit in progress defers them), then commit or roll back.
   * Only critical checks decide: an unreachable facility is reported with the commit.
   */
  async #endTrial(trial: Trial): Promise<void> {
    const hold = this.deps.lock.tryBeginUpdate();
    if (!hold) {
      this.#schedule(this.deps.busyRetryMs ?? 30_000, () => {
        this.#ending = this.#endTrial(trial).catch((err: unknown) => this.#report(err));
      });
      return;
    }
    let checks: readonly HealthCheck[];
    try {
      checks = await this.deps.health();
    } finally {
      hold();
    }
    const failed = checks.filter((c) => !c.ok);
    const bad = failed.filter((c) => c.critical !== false);
    const describe = (cs: readonly HealthCheck[]): string[] => cs.map((c) => `${c.name} (${c.detail})`);
    if (bad.length === 0) return this.#commit(trial, describe(failed));
    return this.rollback(trial, `self-test failed: ${describe(bad).join(', ')}`);
  }

  async #commit(trial: Trial, warnings: readonly string[]): Promise<void> {
    const l = this.layout;
    const removed = await this.installer.commit(trial, this.deps.keepReleases ?? 3);
    this.#trial = undefined;
    const rec = await readRecord(l.agentState);
    const floor = rec.floor && compareVersions(rec.floor, trial.version) > 0 ? rec.floor : trial.version;
    await this.#remember({ version: trial.version, outcome: 'committed' }, { floor });
    this.deps.log.info('release committed', { version: trial.version, removed, warnings });
    this.#emit({ type: 'committed', version: trial.version, warnings });
  }

  /** Returns to `trial.from` (note first, then link, then trial file: each step crash-safe) and restarts. */
  async rollback(trial: Trial, reason: string): Promise<void> {
    const hold = this.deps.lock.tryBeginUpdate();
    if (!hold) {
      this.#schedule(this.deps.busyRetryMs ?? 30_000, () => void this.rollback(trial, reason).catch((err: unknown) => this.#report(err)));
      return;
    }
    const l = this.layout;
    await this.installer.rollback(trial, reason);
    this.#trial = undefined;
    await markIntentional(l);
    this.deps.log.warn('rolling back', { version: trial.version, to: trial.from, reason });
    this.#emit({ type: 'restarting', why: 'rollback' });
    await this.deps.restart('rollback');
  }
}

export { UpdateFetchError, UpdateRejectedError };
