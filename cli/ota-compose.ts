/**
 * The OTA agent in the daemon (docs/ota.md "Wiring in the daemon"): one UpdateLock shared by
 * the agent and the visit loop, the agent itself (a Service, only when `ota.repositoryUrl` is
 * set), the facility "check-update" command as a SystemHandler, and the "update in progress"
 * screen while a switch runs. The daemon's health checks and restart come in from `run`.
 */
import type { Config } from '../firmware/config/schema.ts';
import type { Logger } from '../firmware/core/logger.ts';
import type { HealthCheck } from '../firmware/ports/service.ts';
import type { SystemHandler } from '../firmware/facility/link/commands.ts';
import type { Clock } from '../firmware/ports/clock.ts';
import type { OtaAgent } from '../ota/agent/agent.ts';
import { createOtaAgent } from '../ota/agent/from-config.ts';
import { UpdateLock } from '../ota/agent/update-lock.ts';

/** What the daemon (`kaoreader run`) gives the agent: its self-test and a way to restart. */
export interface DaemonHooks {
  readonly health: () => Promise<readonly HealthCheck[]>;
  /** Stop the services, then exit with RESTART_EXIT_CODE (75). */
  readonly restart: (why: 'update' | 'rollback') => Promise<void>;
}

export interface OtaComposition {
  readonly lock: UpdateLock;
  /** undefined when no update repository is configured. */
  readonly agent: OtaAgent | undefined;
  /** Facility system commands: check-update → `agent.trigger('facility')`. */
  readonly system: SystemHandler;
  /** Shows "update in progress" on the loop's screen from the switch until the restart. */
  attach(loop: { showUpdating(): void }): void;
}

export function composeOta(config: Config, clock: Clock, log: Logger, hooks: DaemonHooks | undefined): OtaComposition {
  const lock = new UpdateLock();
  const agent = createOtaAgent(config.ota, {
    clock,
    log,
    lock,
    stateDir: config.reader.stateDir,
    health: () => hooks?.health() ?? Promise.resolve([]),
    restart: (why) => (hooks ? hooks.restart(why) : Promise.reject(new Error('no daemon to restart'))),
  });
  const system: SystemHandler = agent
    ? {
        checkUpdate: () => {
          agent.trigger('facility');
          return Promise.resolve({ checking: true });
        },
      }
    : {};
  return {
    lock,
    agent,
    system,
    attach(loop) {
      agent?.on((e) => {
        if (e.type === 'linked' || e.type === 'switched') loop.showUpdating();
      });
    },
  };
}
