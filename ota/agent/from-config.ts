/**
 * Builds the OTA agent from the `ota` config section for the daemon (composition root):
 * undefined when no repository is configured. The daemon supplies the clock, logger, the
 * visit/update lock, its own `health()` as the self-test, and `restart` (stop the services,
 * then exit with RESTART_EXIT_CODE so systemd starts `current` again).
 */
import type { Logger } from '../../firmware/core/logger.ts';
import type { OtaConfig } from '../../firmware/config/sections/ota.ts';
import type { HealthCheck } from '../../firmware/ports/service.ts';
import type { Clock } from '../../firmware/ports/clock.ts';
import { hostArch } from '../release/manifest.ts';
import { OtaAgent } from './agent.ts';
import { UnitInstaller } from './unit-installer.ts';
import type { Release } from './update-lock.ts';

export interface OtaWiring {
  readonly clock: Clock;
  readonly log: Logger;
  readonly lock: { tryBeginUpdate(): Release | undefined };
  readonly health: () => Promise<readonly HealthCheck[]>;
  readonly restart: (why: 'update' | 'rollback') => Promise<void>;
  /** The daemon's state folder (reader.stateDir): its OTA files go to `<stateDir>/ota` with either installer. */
  readonly stateDir: string;
}

export function createOtaAgent(config: OtaConfig, w: OtaWiring): OtaAgent | undefined {
  const arch = hostArch();
  if (!config.repositoryUrl || !arch) return undefined;
  const unit = config.installer === 'unit';
  return new OtaAgent({
    base: config.base,
    stateDir: w.stateDir,
    ...(unit ? { installer: (l) => new UnitInstaller(l, { clock: w.clock, arch }) } : {}),
    repoUrl: config.repositoryUrl,
    arch,
    nodeAbi: process.versions.modules,
    clock: w.clock,
    log: w.log.child('ota'),
    lock: w.lock,
    health: w.health,
    restart: w.restart,
    pollIntervalMs: config.pollIntervalMs,
    healthWindowMs: config.healthWindowMs,
    keepReleases: config.keepReleases,
  });
}
