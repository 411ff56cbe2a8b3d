/**
 * The facility simulator (`kaoreader sim facility`): the facility side of the protocol for any
 * number of readers on one broker. Stores results (deduped, durable before the ack), answers
 * acks (QoS 0) on the response topic (MQTT 5) or `facility/<id>/acks` (3.1.1), answers qualify and
 * register requests with insured data and the consent previously given *at this facility*,
 * tracks reader status and health, signs and sends commands and collects their replies, and optionally
 * writes each result as an XML file for clinic systems. Every incoming message is validated;
 * a bad one is answered with an error (results, requests) or dropped and counted.
 */
import { randomBytes, type KeyObject } from 'node:crypto';
import { connect, type IClientOptions, type IClientPublishOptions, type IPublishPacket, type MqttClient } from 'mqtt';
import type { Logger } from '../../firmware/core/logger.ts';
import { TimeoutError } from '../../firmware/core/errors.ts';
import { decode, encode } from '../../firmware/facility/messages/codec.ts';
import { FACILITY_STATUS_TOPIC, facilitySubscriptions, parseReaderTopic, readerTopics } from '../../firmware/facility/messages/topics.ts';
import type { Ack, Command, CommandReply, Health, Response, Status } from '../../firmware/facility/messages/types.ts';
import { noDelay } from '../../firmware/facility/link/client-options.ts';
import { CommandKeyError } from '../../firmware/facility/commands/command-key.ts';
import { signCommand } from '../../firmware/facility/commands/sign.ts';
import { FacilityDb, type PatientRecord } from './facility-db.ts';
import { XmlBridge } from './xml-bridge.ts';

export interface FacilitySimulatorOptions {
  readonly brokerUrl: string;
  readonly facilityId: string;
  readonly tls?: { readonly ca: string; readonly cert: string; readonly key: string };
  readonly protocolVersion?: 5 | 4;
  readonly log: Logger;
  /** Where results are stored (durably); in memory only when absent. */
  readonly dataDir?: string;
  readonly xml?: { readonly dir: string; readonly institutionCode: string };
  readonly patients?: ReadonlyMap<string, PatientRecord>;
  readonly consentItems?: readonly string[];
  readonly ePrescription?: boolean;
  /** Subscribe as `$share/<group>/…` so several simulators split the load. */
  readonly shareGroup?: string;
  readonly clientId?: string;
  /** The facility command key (Ed25519 private) that signs commands; without it `command()` refuses. */
  readonly commandKey?: KeyObject;
  /** Called per stored result with ms from receipt to durably stored (benches). */
  readonly onStored?: (ms: number) => void;
}

export interface ReaderState { status?: Status; health?: Health; lastSeen: number }

export class FacilitySimulator {
  readonly readers = new Map<string, ReaderState>();
  readonly invalid = { results: 0, requests: 0, other: 0 };
  /** Every status message seen, in arrival order (birth, will, clean offline). */
  readonly statusLog: { readonly readerId: string; readonly state: string; readonly bootCounter: number; readonly at: number }[] = [];
  #replies = new Map<string, (r: CommandReply) => void>();
  #offline: () => Promise<void> = () => Promise.resolve();
  private constructor(readonly o: FacilitySimulatorOptions, readonly db: FacilityDb, readonly client: MqttClient, readonly xml?: XmlBridge) {}

  /** Connects, subscribes and serves until `close()`. */
  static async start(o: FacilitySimulatorOptions): Promise<FacilitySimulator> {
    const db = await FacilityDb.open(o.dataDir, o.patients);
    const status = (state: 'online' | 'offline'): Buffer => encode('kaoreader.facility-status', { schema: 'kaoreader.facility-status/1', facilityId: o.facilityId, state, at: new Date().toISOString() });
    // One consumer: a persistent session with a stable id, so the broker queues results while we
    // reconnect. Several consumers (shareGroup): each its own id.
    const options: IClientOptions = {
      clientId: o.clientId ?? (o.shareGroup ? `facility-${o.facilityId}-${randomBytes(3).toString('hex')}` : `facility-${o.facilityId}`),
      protocolVersion: o.protocolVersion ?? 5, clean: false, reconnectPeriod: 500, connectTimeout: 10_000,
      ...((o.protocolVersion ?? 5) === 5 ? { properties: { sessionExpiryInterval: 24 * 3600 } } : {}),
      will: { topic: FACILITY_STATUS_TOPIC, payload: status('offline'), qos: 1, retain: true },
      ...(o.tls ? { ca: o.tls.ca, cert: o.tls.cert, key: o.tls.key, rejectUnauthorized: true } : {}),
    };
    const client = await new Promise<MqttClient>((resolve, reject) => {
      const c = connect(o.brokerUrl, options);
      const fail = (err: Error): void => { c.end(true); reject(err); };
      c.once('error', fail);
      c.once('connect', () => { c.off('error', fail); resolve(c); });
      c.on('connect', () => {
        noDelay(c);
        // QoS 0 acks wait for 'drain' one listener each while the broker is behind: not a leak.
        c.stream.setMaxListeners(0);
      });
    });
    const sim = new FacilitySimulator(o, db, client, o.xml ? new XmlBridge(o.xml.dir, o.xml.institutionCode) : undefined);
    client.on('message', (topic, payload, packet) => { void sim.#onMessage(topic, payload, packet); });
    client.on('error', (err) => o.log.warn('facility mqtt error', { err }));
    const prefix = o.shareGroup ? `$share/${o.shareGroup}/` : '';
    const announce = async (): Promise<void> => {
      await client.subscribeAsync(facilitySubscriptions.map((t) => `${prefix}${t}`), { qos: 1 });
      await client.publishAsync(FACILITY_STATUS_TOPIC, status('online'), { qos: 1, retain: true });
    };
    await announce();
    client.on('connect', () => { announce().catch((err: unknown) => o.log.warn('facility could not resubscribe/announce', { err })); });
    sim.#offline = () => client.publishAsync(FACILITY_STATUS_TOPIC, status('offline'), { qos: 1, retain: true }).then(() => undefined);
    return sim;
  }

  async #onMessage(topic: string, payload: Buffer, packet: IPublishPacket): Promise<void> {
    const where = parseReaderTopic(topic);
    if (!where) return;
    const { readerId, leaf } = where;
    const state = this.readers.get(readerId) ?? { lastSeen: 0 };
    state.lastSeen = Date.now();
    this.readers.set(readerId, state);
    try {
      switch (leaf) {
        case 'results': return await this.#onResult(readerId, payload, packet);
        case 'requests': return await this.#onRequest(readerId, payload, packet);
        case 'status': {
          state.status = decode('kaoreader.status', payload);
          this.statusLog.push({ readerId, state: state.status.state, bootCounter: state.status.bootCounter, at: Date.now() });
          if (this.statusLog.length > 10_000) this.statusLog.shift();
          return;
        }
        case 'health': state.health = decode('kaoreader.health', payload); return;
        case 'replies': {
          const reply = decode('kaoreader.command-reply', payload);
          this.#replies.get(reply.commandId)?.(reply);
          return;
        }
        default: return;
      }
    } catch (err) {
      this.invalid.other += 1;
      this.o.log.warn('message from reader dropped', { readerId, leaf, err });
    }
  }

  async #onResult(readerId: string, payload: Buffer, packet: IPublishPacket): Promise<void> {
    const replyTo = packet.properties?.responseTopic ?? readerTopics(readerId).acks;
    if (replyTo !== readerTopics(readerId).acks) return; // never answer onto another reader's topics
    let ack: Ack;
    const t0 = performance.now();
    try {
      const result = decode('kaoreader.result', payload);
      if (result.readerId !== readerId) throw new Error(`result says reader ${result.readerId} but came from ${readerId}`);
      const { duplicate } = await this.db.store(this.o.facilityId, result, payload);
      this.o.onStored?.(performance.now() - t0);
      if (!duplicate && this.xml) {
        // The result is stored: an XML failure is the bridge's problem, not a reason to refuse the ack.
        await this.xml.write(result, result.certificateSerial ? this.db.patient(result.certificateSerial).insured : undefined)
          .catch((err: unknown) => this.o.log.error('xml bridge could not write a result', { id: result.id, err }));
      }
      ack = { schema: 'kaoreader.ack/1', id: result.id, stored: true, duplicate };
    } catch (err) {
      this.invalid.results += 1;
      const id = (JSON.parse(payload.toString('utf8')) as { id?: unknown }).id;
      if (typeof id !== 'string' || !/^[0-9a-f-]{36}$/.test(id)) return;
      ack = { schema: 'kaoreader.ack/1', id, stored: false, error: { code: (err as { code?: string }).code ?? 'RESULT_REFUSED', message: (err as Error).message.slice(0, 400) } };
    }
    // QoS 0: an ack is idempotent and regenerated on every resend (the reader resends anything
    // unacked after its timeout or a reconnect, and we dedupe), so a lost ack costs one resend;
    // QoS 1 would add two PUBACKs and broker in-flight state per result for nothing.
    await this.client.publishAsync(replyTo, encode('kaoreader.ack', ack), { qos: 0, ...(packet.properties?.correlationData ? { properties: { correlationData: packet.properties.correlationData } } : {}) });
  }

  async #onRequest(readerId: string, payload: Buffer, packet: IPublishPacket): Promise<void> {
    const replyTo = readerTopics(readerId).responses;
    const req = decode('kaoreader.request', payload);
    if (req.readerId !== readerId) {
      this.invalid.requests += 1;
      return;
    }
    const p = this.db.patient(req.certificateSerial);
    let response: Response;
    if (req.kind === 'register') {
      this.db.register(req.certificateSerial);
      response = { schema: 'kaoreader.response/1', requestId: req.id, ok: true };
    } else {
      const prev = this.db.previousConsent(this.o.facilityId, req.certificateSerial);
      response = {
        schema: 'kaoreader.response/1', requestId: req.id, ok: true,
        answer: {
          registered: p.registered, ...(p.registered ? { insured: p.insured } : {}), ...(prev ? { previousConsent: prev } : {}),
          consentItems: [...(this.o.consentItems ?? ['surgery', 'treatment', 'medication', 'checkups'])],
          ePrescription: this.o.ePrescription ?? true, challenge: randomBytes(32).toString('hex'),
        },
      };
    }
    await this.client.publishAsync(replyTo, encode('kaoreader.response', response), { qos: 1, ...(packet.properties?.correlationData ? { properties: { correlationData: packet.properties.correlationData } } : {}) });
  }

  /** Signs a command for a reader (the facility command key) and sends it; resolves with the reply. */
  async command(readerId: string, command: Command, timeoutMs = 5000, facilityId = this.o.facilityId, ttlMs?: number): Promise<CommandReply> {
    if (!this.o.commandKey) throw new CommandKeyError('this facility simulator has no command key: it cannot sign commands');
    const signed = signCommand(command, { key: this.o.commandKey, facilityId, readerId, now: Date.now(), ...(ttlMs !== undefined ? { ttlMs } : {}) });
    return this.rawCommand(readerId, signed.payload, signed.body.id, timeoutMs, signed.publishOptions(this.o.protocolVersion ?? 5));
  }

  /** Publishes raw bytes as a command (replays, forgeries, malformed input); resolves with the reply to `commandId`. */
  async rawCommand(readerId: string, payload: string | Buffer, commandId: string, timeoutMs = 5000, options: IClientPublishOptions = { qos: 1 }): Promise<CommandReply> {
    const reply = new Promise<CommandReply>((resolve, reject) => {
      const t = setTimeout(() => { this.#replies.delete(commandId); reject(new TimeoutError(`command ${commandId} to ${readerId}`, timeoutMs)); }, timeoutMs);
      this.#replies.set(commandId, (r) => { clearTimeout(t); this.#replies.delete(commandId); resolve(r); });
    });
    await this.client.publishAsync(readerTopics(readerId).commands, payload, options);
    return reply;
  }

  /**
   * Announces "offline" and disconnects. `endSession`: the broker forgets our persistent
   * session too (MQTT 5 session expiry 0), so it stops queueing results for us (benches).
   */
  async close(options: { readonly endSession?: boolean } = {}): Promise<void> {
    if (this.client.connected) await this.#offline().catch(() => undefined);
    const v5 = (this.o.protocolVersion ?? 5) === 5;
    await this.client.endAsync(false, options.endSession && v5 ? { properties: { sessionExpiryInterval: 0 } } : {});
    await this.db.close();
  }
}

/** The facility simulator's start function (what `kaoreader sim facility` calls). */
export const startFacilitySimulator = (o: FacilitySimulatorOptions): Promise<FacilitySimulator> => FacilitySimulator.start(o);
