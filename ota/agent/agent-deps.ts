/** What the OTA agent (agent.ts) is given, and what an update check answers. */
import type { Logger } from '../../firmware/core/logger.ts';
import type { Clock } from '../../firmware/ports/clock.ts';
import type { HealthCheck } from '../../firmware/ports/service.ts';
import type { ReleaseInstaller } from './installer.ts';
import type { Layout } from './layout.ts';
import type { Release } from './update-lock.ts';

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

export interface CheckOptions {
  readonly version?: string;
  readonly source?: string;
  readonly signal?: AbortSignal;
}

/** Exit status the daemon uses for an intentional restart (the unit's RestartForceExitStatus). */
export const RESTART_EXIT_CODE = 75;
