/** An OtaAgent wired for tests: real clock and files, health and restart recorded. */
import { join } from 'node:path';
import { createLogger, MemorySink } from '../../../firmware/core/logger.ts';
import type { HealthCheck } from '../../../firmware/ports/service.ts';
import { systemClock } from '../../../firmware/platform/system-clock.ts';
import { OtaAgent } from '../../../ota/agent/agent.ts';
import type { OtaEvent } from '../../../ota/agent/events.ts';
import { UpdateLock } from '../../../ota/agent/update-lock.ts';

export interface TestAgent {
  readonly agent: OtaAgent;
  readonly events: OtaEvent[];
  readonly restarts: string[];
  readonly lock: UpdateLock;
}

export function agentFor(
  base: string,
  repoUrl: string,
  o: {
    health?: () => Promise<HealthCheck[]>;
    arch?: string;
    nodeAbi?: string;
    healthWindowMs?: number;
    busyRetryMs?: number;
    freeBytes?: (d: string) => Promise<number>;
  } = {},
): TestAgent {
  const events: OtaEvent[] = [];
  const restarts: string[] = [];
  const lock = new UpdateLock();
  const agent = new OtaAgent({
    base,
    stateDir: join(base, 'state'),
    repoUrl,
    arch: o.arch ?? 'linux-x64',
    nodeAbi: o.nodeAbi ?? process.versions.modules,
    clock: systemClock,
    log: createLogger({ sink: new MemorySink(), level: 'debug' }).child('ota'),
    lock,
    health: o.health ?? (() => Promise.resolve([{ name: 'reader', ok: true, detail: 'ok' }])),
    restart: (why) => {
      restarts.push(why);
      return Promise.resolve();
    },
    healthWindowMs: o.healthWindowMs ?? 10,
    busyRetryMs: o.busyRetryMs ?? 60_000,
    fetchTimeoutMs: 5000,
    ...(o.freeBytes ? { freeBytes: o.freeBytes } : {}),
  });
  agent.on((e) => events.push(e));
  return { agent, events, restarts, lock };
}

export async function until(cond: () => boolean | Promise<boolean>, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`condition not met within ${ms} ms`);
}
