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
import { exists } from '../../firmware/core/fs.ts';
import type { HealthCheck, Service } from '../../firmware/ports/service.ts';
import type { TimerHandle } from '../../firmware/ports/clock.ts';
import { compareVersions } from '../release/manifest.ts';
import type { CheckOptions, OtaAgentDeps, UpdateOutcome } from './agent-deps.ts';
import { UpdateFetchError, UpdateRejectedError } from './errors.ts';
import type { OtaListener } from './events.ts';
import { findAndStage } from './find-update.ts';
import { DirectInstaller, type ReleaseInstaller } from './installer.ts';
import { currentVersion, layoutOf, type Layout } from './layout.ts';
import { AgentReporter } from './reporter.ts';
import { readRecord, type AgentRecord } from './state.ts';
import { markIntentional, readRollback, readTrial, type Trial } from './trial.ts';

export type { CheckOptions, OtaAgentDeps, UpdateOutcome };

/** Exit status the daemon uses for an intentional restart (the unit's RestartForceExitStatus). */
export const RESTART_EXIT_CODE = 75;

export class OtaAgent implements Service {
  readonly name = 'ota';
  readonly layout: Layout;
  readonly installer: ReleaseInstaller;
  readonly #reporter: AgentReporter;
  #running: Promise<UpdateOutcome> | undefined;
  #trial: Trial | undefined;
  #timers: TimerHandle[] = [];
  #stopped = false;
  #ending: Promise<void> | undefined;

  constructor(private readonly deps: OtaAgentDeps) {
    this.layout = layoutOf(deps.base, deps.stateDir);
    this.installer = (deps.installer ?? ((l) => new DirectInstaller(l)))(this.layout);
    this.#reporter = new AgentReporter(this.layout.agentState, deps.clock, deps.log);
  }

  on(listener: OtaListener): () => void {
    return this.#reporter.on(listener);
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
    return [
      {
        name: 'ota',
        ok: current !== undefined,
        detail: current ? `release ${current}${this.#trial ? ' (on trial)' : ''}` : 'no current release link',
      },
    ];
  }

  /** Starts a check now (facility command); the outcome arrives as events. */
  trigger(source = 'command', version?: string): void {
    this.checkForUpdate({ source, ...(version ? { version } : {}) }).catch((err: unknown) => this.#reporter.report(err));
  }

  /** Record before an operator-initiated restart so the start guard does not count it as a failure. */
  async markIntentionalRestart(): Promise<void> {
    await markIntentional(this.layout);
  }

  async status(): Promise<{ current: string | undefined; trial: Trial | undefined; record: AgentRecord }> {
    return {
      current: await currentVersion(this.layout),
      trial: await readTrial(this.layout),
      record: await readRecord(this.layout.agentState),
    };
  }

  /** One update check; throws UpdateRejectedError (with reason) or UpdateFetchError. Concurrent calls share one run. */
  checkForUpdate(o: CheckOptions = {}): Promise<UpdateOutcome> {
    this.#running ??= this.#check(o).finally(() => {
      this.#running = undefined;
    });
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

  async #check(o: CheckOptions): Promise<UpdateOutcome> {
    const found = await findAndStage({ deps: this.deps, layout: this.layout, installer: this.installer, reporter: this.#reporter }, o);
    return found.kind === 'staged' ? this.#switchTo(found.version, found.current) : found;
  }

  async #switchTo(version: string, from: string | undefined): Promise<UpdateOutcome> {
    // The lock stays held until the process restarts: no visit starts on a release being replaced.
    const hold = this.deps.lock.tryBeginUpdate();
    if (!hold) {
      this.#reporter.emit({ type: 'deferred', version, reason: 'busy' });
      this.#schedule(this.deps.busyRetryMs ?? 30_000, () => this.trigger('busy-retry', version));
      return { kind: 'deferred', version };
    }
    await this.installer.switchTo(version, from, () => this.#reporter.emit({ type: 'linked', version }));
    this.deps.log.info('switched release', { version, from });
    this.#reporter.emit({ type: 'switched', version, from });
    this.#reporter.emit({ type: 'restarting', why: 'update' });
    await this.deps.restart('update');
    return { kind: 'switched', version };
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
      await this.#reporter.remember(
        { version: note.version, outcome: 'rolled-back', reason: note.reason },
        { blocked: { ...rec.blocked, [note.version]: note.reason } },
      );
      await this.installer.forgetRollback();
      this.deps.log.warn('release rolled back', { version: note.version, reason: note.reason });
      this.#reporter.emit({ type: 'rolled-back', version: note.version, to: (await currentVersion(l)) ?? '?', reason: note.reason });
    }
    const trial = await readTrial(l);
    if (!trial) return;
    const current = await currentVersion(l);
    if (current === trial.version) {
      this.#trial = trial;
      const windowMs = this.deps.healthWindowMs ?? 120_000;
      this.#reporter.emit({ type: 'trial', version: trial.version, attempts: trial.attempts, windowMs });
      this.#schedule(windowMs, () => {
        this.#ending = this.#endTrial(trial).catch((err: unknown) => this.#reporter.report(err));
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
        this.#ending = this.#endTrial(trial).catch((err: unknown) => this.#reporter.report(err));
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
    await this.#reporter.remember({ version: trial.version, outcome: 'committed' }, { floor });
    this.deps.log.info('release committed', { version: trial.version, removed, warnings });
    this.#reporter.emit({ type: 'committed', version: trial.version, warnings });
  }

  /** Returns to `trial.from` (note first, then link, then trial file: each step crash-safe) and restarts. */
  async rollback(trial: Trial, reason: string): Promise<void> {
    const hold = this.deps.lock.tryBeginUpdate();
    if (!hold) {
      this.#schedule(
        this.deps.busyRetryMs ?? 30_000,
        () => void this.rollback(trial, reason).catch((err: unknown) => this.#reporter.report(err)),
      );
      return;
    }
    const l = this.layout;
    await this.installer.rollback(trial, reason);
    this.#trial = undefined;
    await markIntentional(l);
    this.deps.log.warn('rolling back', { version: trial.version, to: trial.from, reason });
    this.#reporter.emit({ type: 'restarting', why: 'rollback' });
    await this.deps.restart('rollback');
  }
}

export { UpdateFetchError, UpdateRejectedError };
