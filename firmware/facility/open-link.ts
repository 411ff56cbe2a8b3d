/**
 * Builds the production FacilityLink from the configuration and the reader's pairing state:
 * `<stateDir>/facility/` holds the key, pairing bundle (with the pinned facility command key),
 * the command replay window and boot counter, `<stateDir>/outbox/` the durable outbox. The
 * broker is reached only over TLS (`mqtts://`; plain MQTT is for the simulator alone). An
 * unpaired reader gets `NOT_PAIRED` (the display then shows the pairing code). The composition
 * root calls this; the daemon starts/stops the returned link.
 */
import { join } from 'node:path';
import type { FacilityConfig } from '../config/sections/facility.ts';
import type { Logger } from '../core/logger.ts';
import type { Clock } from '../ports/clock.ts';
import type { OpenStore } from '../ports/store.ts';
import { nextBootCounter } from './boot-counter.ts';
import type { SettingsHandler, SystemHandler } from './link/commands.ts';
import { MqttFacilityLink } from './link/mqtt-facility-link.ts';
import type { HardwareSummary } from './messages/types.ts';
import { Outbox } from './outbox/outbox.ts';
import { loadVerifyingKey } from './commands/command-key.ts';
import { PairingError, requireTlsBroker } from './pairing/facility-ca.ts';
import { loadReaderPairing } from './pairing/reader-pairing.ts';

export interface OpenLinkDeps {
  readonly stateDir: string;
  readonly config: FacilityConfig;
  readonly clock: Clock;
  /** Opens the Store of `<stateDir>/facility/` (the command replay window, the boot counter). */
  readonly openStore: OpenStore;
  readonly log: Logger;
  readonly firmwareVersion: string;
  readonly hardware: HardwareSummary;
  readonly settings: SettingsHandler;
  readonly system?: SystemHandler;
  readonly facilityName?: () => string | undefined;
}

export async function openFacilityLink(d: OpenLinkDeps): Promise<MqttFacilityLink> {
  const facilityDir = join(d.stateDir, 'facility');
  const pairing = await loadReaderPairing(facilityDir);
  if (!pairing)
    throw new PairingError(
      'NOT_PAIRED',
      `this reader is not paired with a facility (no ${join(facilityDir, 'pairing.json')}); run "kaoreader facility identity" and pair it`,
    );
  const brokerUrl = requireTlsBroker(d.config.brokerUrl ?? pairing.brokerUrl);
  const commands = { key: loadVerifyingKey(pairing.commandKey), window: d.openStore(facilityDir) };
  const outbox = await Outbox.open({
    dir: join(d.stateDir, 'outbox'),
    maxBytes: d.config.outboxMaxBytes,
    log: d.log.child('outbox'),
    now: () => d.clock.now(),
  });
  const bootCounter = await nextBootCounter(d.openStore(facilityDir));
  return new MqttFacilityLink({
    readerId: pairing.readerId,
    facilityId: pairing.facilityId,
    brokerUrl,
    tls: pairing.tls,
    commands,
    protocolVersion: d.config.protocolVersion,
    outbox,
    clock: d.clock,
    log: d.log,
    firmwareVersion: d.firmwareVersion,
    bootCounter,
    hardware: d.hardware,
    settings: d.settings,
    ...(d.system ? { system: d.system } : {}),
    ...(d.facilityName ? { facilityName: d.facilityName } : {}),
    window: d.config.window,
    ackTimeoutMs: d.config.ackTimeoutMs,
    healthIntervalMs: d.config.healthIntervalMs,
  });
}
