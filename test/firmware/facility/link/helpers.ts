/** Shared builders for facility link tests (not a test file itself). */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemorySink, createLogger, type Logger } from '../../../../firmware/core/logger.ts';
import type { StaffPasswordHash } from '../../../../firmware/core/staff-password-hash.ts';
import { generateCommandKey } from '../../../../firmware/facility/commands/command-key.ts';
import type { CommandTrust, SettingsHandler, SystemHandler } from '../../../../firmware/facility/link/commands.ts';
import { FileStore } from '../../../../firmware/platform/file-store.ts';
import { MqttFacilityLink, type MqttFacilityLinkOptions } from '../../../../firmware/facility/link/mqtt-facility-link.ts';
import { Outbox } from '../../../../firmware/facility/outbox/outbox.ts';
import { systemClock } from '../../../../firmware/platform/system-clock.ts';

export const tmp = (p = 'kao-link-'): string => mkdtempSync(join(tmpdir(), p));

/** The facility command key of these tests: the simulator signs with `privateKey`, readers pin `publicKey`. */
export const TEST_COMMAND_KEY = generateCommandKey();

/** A reader's command trust: the pinned test key and a fresh (or given) replay-window directory. */
export const testTrust = (windowDir = tmp('kao-window-')): CommandTrust => ({
  key: TEST_COMMAND_KEY.publicKey,
  window: new FileStore(windowDir),
});

export function quietLog(): { log: Logger; sink: MemorySink } {
  const sink = new MemorySink();
  return { log: createLogger({ sink, level: 'debug' }), sink };
}

export class RecordingSettings implements SettingsHandler {
  readonly calls: string[] = [];
  name = '';
  passwordSet = 0;
  lastHash: StaffPasswordHash | undefined;
  setFacilityName(name: string): Promise<void> {
    this.calls.push('name');
    this.name = name;
    return Promise.resolve();
  }
  setStaffPasswordHash(hash: StaffPasswordHash): Promise<void> {
    this.calls.push('password');
    this.passwordSet += 1;
    this.lastHash = hash;
    return Promise.resolve();
  }
}

export async function makeLink(
  over: Partial<MqttFacilityLinkOptions> & { brokerUrl: string; outboxDir?: string; system?: SystemHandler },
): Promise<{ link: MqttFacilityLink; outbox: Outbox; settings: RecordingSettings; sink: MemorySink }> {
  const outbox = await Outbox.open({ dir: over.outboxDir ?? tmp('kao-ob-') });
  const settings = new RecordingSettings();
  const { log, sink } = quietLog();
  const link = new MqttFacilityLink({
    readerId: 'reader-01',
    facilityId: 'clinic-a',
    outbox,
    clock: systemClock,
    log,
    firmwareVersion: '0.1.0',
    bootCounter: 1,
    hardware: { model: 'sim', arch: 'x64' },
    settings,
    commands: testTrust(),
    ackTimeoutMs: 1000,
    backoffMinMs: 100,
    backoffMaxMs: 1000,
    reconnectMs: 200,
    connectWaitMs: 3000,
    healthIntervalMs: 500,
    ...over,
  });
  return { link, outbox, settings, sink };
}

export async function until(cond: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
