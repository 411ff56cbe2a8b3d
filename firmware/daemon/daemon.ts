/**
 * The daemon: starts services in order, tells systemd READY only after every service started
 * and passed its self-test, pings the watchdog, and on shutdown (the signal) stops services in
 * reverse order and says STOPPING. A service that fails to start stops the ones already
 * started and the daemon exits with the error.
 */
import type { Logger } from '../core/logger.ts';
import type { Clock, TimerHandle } from '../ports/clock.ts';
import type { Notifier } from './sd-notify.ts';
import type { HealthCheck, Service } from '../ports/service.ts';

export interface DaemonDeps {
  readonly services: readonly Service[];
  readonly notifier: Notifier;
  readonly clock: Clock;
  readonly log: Logger;
}

export class Daemon {
  #started: Service[] = [];
  #watchdog: TimerHandle | undefined;

  constructor(private readonly deps: DaemonDeps) {}

  async health(): Promise<HealthCheck[]> {
    const all: HealthCheck[] = [];
    for (const s of this.#started) if (s.health) all.push(...(await s.health()));
    return all;
  }

  /** Starts every service, runs their self-tests once and stops them again (`kaoreader self-test`). */
  async check(signal: AbortSignal): Promise<HealthCheck[]> {
    try {
      for (const s of this.deps.services) {
        if (signal.aborted) break;
        await s.start(signal);
        this.#started.push(s);
      }
      return await this.health();
    } finally {
      await this.#shutdown();
    }
  }

  /** Runs until `signal` fires; resolves after a clean shutdown. */
  async run(signal: AbortSignal): Promise<void> {
    const { log, notifier } = this.deps;
    try {
      for (const s of this.deps.services) {
        if (signal.aborted) break;
        log.info('starting service', { service: s.name });
        await s.start(signal);
        this.#started.push(s);
      }
      const checks = await this.health();
      const bad = checks.filter((c) => !c.ok);
      for (const c of bad) log.warn('self-test', { check: c.name, detail: c.detail });
      await notifier.notify({ READY: '1', STATUS: bad.length ? `degraded: ${bad.map((c) => c.name).join(', ')}` : 'ready' });
      log.info('ready', { services: this.#started.map((s) => s.name), degraded: bad.map((c) => c.name) });
      this.#armWatchdog(signal);
      if (!signal.aborted) await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    } finally {
      await this.#shutdown();
    }
  }

  #armWatchdog(signal: AbortSignal): void {
    const every = this.deps.notifier.watchdogMs / 2;
    if (every <= 0) return;
    const tick = (): void => {
      if (signal.aborted) return;
      void this.deps.notifier.notify({ WATCHDOG: '1' });
      this.#watchdog = this.deps.clock.setTimeout(tick, every);
    };
    this.#watchdog = this.deps.clock.setTimeout(tick, every);
  }

  async #shutdown(): Promise<void> {
    this.#watchdog?.cancel();
    await this.deps.notifier.notify({ STOPPING: '1' });
    for (const s of this.#started.reverse()) {
      try {
        await s.stop();
        this.deps.log.info('stopped service', { service: s.name });
      } catch (err) {
        this.deps.log.error('service failed to stop cleanly', { service: s.name, err });
      }
    }
    this.#started = [];
  }
}
