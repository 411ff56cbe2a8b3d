/**
 * The facility as an attacker meets it: a real mosquitto running the generated configuration
 * (TLS client certificates from the facility CA, ACL, client id = certificate), the facility
 * simulator signing commands with the facility command key, and two paired readers: A with its
 * MQTT link running, B whose certificate the attacker holds (a stolen reader).
 */
import { join } from 'node:path';
import { connect, type IClientOptions, type MqttClient } from 'mqtt';
import { createLogger } from '../../firmware/core/logger.ts';
import { loadVerifyingKey } from '../../firmware/facility/commands/command-key.ts';
import type { MqttFacilityLink } from '../../firmware/facility/link/mqtt-facility-link.ts';
import { caFiles, initFacilityCa, signReaderCsr } from '../../firmware/facility/pairing/facility-ca.ts';
import { ensureReaderIdentity } from '../../firmware/facility/pairing/identity.ts';
import { installPairingBundle, type ReaderPairing } from '../../firmware/facility/pairing/reader-pairing.ts';
import { FileStore } from '../../firmware/platform/file-store.ts';
import { freePort, startMosquitto, type RunningMosquitto } from '../../hardware-sim/facility/mosquitto.ts';
import { startFacilitySimulator, type FacilitySimulator } from '../../hardware-sim/facility/simulator.ts';
import { makeLink, tmp, type RecordingSettings } from '../firmware/facility/link/helpers.ts';
import { afterAll, beforeAll } from './ledger.ts';

export interface BrokerWorld {
  readonly root: string;
  readonly caDir: string;
  readonly broker: RunningMosquitto;
  readonly sim: FacilitySimulator;
  readonly a: ReaderPairing;
  readonly b: ReaderPairing;
  /** Reader A's running link (state in `aState`). */
  link: MqttFacilityLink;
  settings: RecordingSettings;
  readonly aState: string;
}

const quiet = createLogger({ sink: { write: () => undefined }, level: 'error' });

export async function pairReader(root: string, caDir: string, name: string): Promise<ReaderPairing> {
  const state = join(root, name);
  const id = await ensureReaderIdentity(state);
  return installPairingBundle(state, await signReaderCsr(caDir, id.csrPem, id.pairingCode, id.fingerprint));
}

/** Reader A's link, with its outbox and replay window under `aState` (a restart keeps both). */
export async function startLinkA(w: Pick<BrokerWorld, 'a' | 'aState'>): Promise<{ link: MqttFacilityLink; settings: RecordingSettings }> {
  const { link, settings } = await makeLink({
    brokerUrl: w.a.brokerUrl,
    readerId: w.a.readerId,
    facilityId: w.a.facilityId,
    tls: w.a.tls,
    outboxDir: join(w.aState, 'outbox'),
    commands: { key: loadVerifyingKey(w.a.commandKey), window: new FileStore(join(w.aState, 'window')) },
  });
  await link.start();
  return { link, settings };
}

export async function startBrokerWorld(): Promise<BrokerWorld> {
  const root = tmp('kao-attack-');
  const caDir = join(root, 'ca');
  const port = await freePort();
  await initFacilityCa(caDir, { facilityId: 'clinic-a', brokerUrl: `mqtts://127.0.0.1:${port}` });
  const f = caFiles(caDir);
  const broker = await startMosquitto({
    dir: join(root, 'broker'),
    port,
    tls: { caFile: f.caFile, certFile: f.certFile, keyFile: f.keyFile, crlFile: f.crlFile },
  });
  // the facility service: TLS as CN=facility and the command key, both from the CA directory
  const sim = await startFacilitySimulator({ brokerUrl: broker.url, facilityId: 'clinic-a', caDir, log: quiet });
  const a = await pairReader(root, caDir, 'reader-a');
  const b = await pairReader(root, caDir, 'reader-b');
  const aState = join(root, 'reader-a-link');
  const { link, settings } = await startLinkA({ a, aState });
  return { root, caDir, broker, sim, a, b, link, settings, aState };
}

export async function stopBrokerWorld(w: BrokerWorld): Promise<void> {
  await w.link.close();
  await w.sim.close();
  await w.broker.stop();
}

/** A raw MQTT 5 client with a reader's (or any) TLS material; rejects when the broker refuses it. */
export function rawClient(
  url: string,
  tls: { ca: string; cert: string; key: string },
  o: Partial<IClientOptions> = {},
): Promise<MqttClient> {
  return new Promise((resolve, reject) => {
    const c = connect(url, {
      protocolVersion: 5,
      ca: tls.ca,
      cert: tls.cert,
      key: tls.key,
      rejectUnauthorized: true,
      reconnectPeriod: 0,
      connectTimeout: 3000,
      ...o,
    });
    c.once('connect', () => resolve(c));
    c.once('error', (err) => {
      c.end(true);
      reject(err);
    });
    c.once('close', () => reject(new Error('closed before connect')));
  });
}

/** Resolves with what happened within `ms`: the client was refused, or it connected (then closed again). */
export async function refusedToConnect(url: string, tls: { ca: string; cert: string; key: string }): Promise<boolean> {
  return rawClient(url, tls, { clientId: 'probe' }).then(
    async (c) => {
      await c.endAsync(true);
      return false;
    },
    () => true,
  );
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** `p`, or undefined after `ms` (a client kicked off the broker leaves its calls pending forever). */
export function within<T>(ms: number, p: Promise<T> | undefined): Promise<T | undefined> {
  if (!p) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const t = setTimeout(() => resolve(undefined), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      () => {
        clearTimeout(t);
        resolve(undefined);
      },
    );
  });
}

let shared: BrokerWorld | undefined;
let registered = false;

/** The one broker world of the suite, started before the first attack and stopped after the last. */
export function useBrokerWorld(): () => BrokerWorld {
  if (!registered) {
    registered = true;
    beforeAll(async () => {
      shared = await startBrokerWorld();
    });
    afterAll(async () => {
      if (shared) await stopBrokerWorld(shared);
    });
  }
  return () => {
    if (!shared) throw new Error('the broker world did not start');
    return shared;
  };
}
