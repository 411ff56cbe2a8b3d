/**
 * The FacilityLink over MQTT (mqtt.js v5, MQTT 5 by default, 3.1.1 supported): durable
 * results through the outbox (delivery.ts), qualify/register requests (requests.ts), facility
 * commands (commands.ts), a retained birth message with a last-will "offline", and health
 * numbers. Also a daemon Service: `start` connects (and returns after the first connection or
 * `connectWaitMs`, whichever is first: an offline reader still starts and keeps retrying).
 */
import { connect, type IClientPublishOptions, type MqttClient } from 'mqtt';
import { KaoreaderError } from '../../core/errors.ts';
import type { Logger } from '../../core/logger.ts';
import type { HealthCheck, Service } from '../../ports/service.ts';
import type { Clock, TimerHandle } from '../../ports/clock.ts';
import type { CardOfVisit, FacilityLink, QualificationAnswer, RequestOptions, VisitProof, VisitResult } from '../../ports/facility-link.ts';
import { decode, encode } from '../messages/codec.ts';
import { FACILITY_STATUS_TOPIC, readerTopics, type ReaderTopics } from '../messages/topics.ts';
import type { HardwareSummary, Health, Request } from '../messages/types.ts';
import type { Outbox } from '../outbox/outbox.ts';
import { clientOptions, noDelay } from './client-options.ts';
import { CommandDispatcher, type CommandTrust, type SettingsHandler, type SystemHandler } from './commands.ts';
import { Delivery } from './delivery.ts';
import { cardFields, Requests } from './requests.ts';
import { birthMessage, healthMessage, offlineMessage } from './status.ts';

export interface MqttFacilityLinkOptions {
  readonly readerId: string;
  /** The facility this reader is paired with (commands naming another are refused). */
  readonly facilityId: string;
  /** `mqtts://host:port` in production; `mqtt://` only for loopback tests and the demo. */
  readonly brokerUrl: string;
  /** PEM: facility CA, this reader's certificate and its private key. */
  readonly tls?: { readonly ca: string; readonly cert: string; readonly key: string; readonly servername?: string };
  readonly protocolVersion?: 5 | 4;
  readonly outbox: Outbox;
  readonly clock: Clock;
  readonly log: Logger;
  readonly firmwareVersion: string;
  readonly bootCounter: number;
  readonly hardware: HardwareSummary;
  readonly settings: SettingsHandler;
  readonly system?: SystemHandler;
  /** The facility command key pinned at pairing and the store of the replay window; without it every command is refused. */
  readonly commands?: CommandTrust;
  readonly facilityName?: () => string | undefined;
  readonly window?: number;
  readonly ackTimeoutMs?: number;
  readonly backoffMinMs?: number;
  readonly backoffMaxMs?: number;
  readonly healthIntervalMs?: number;
  readonly reconnectMs?: number;
  readonly connectWaitMs?: number;
  /** MQTT keepalive: a dead link (no RST) is noticed after ~1.5× this; default 15 s. */
  readonly keepaliveS?: number;
  readonly onDelivered?: (id: string, latencyMs: number, flightMs: number) => void;
  /** The facility refused a result for good (proof refused): its id and code. */
  readonly onRefused?: (id: string, code: string) => void;
}

export class LinkClosedError extends KaoreaderError {
  readonly code = 'LINK_CLOSED';
}

export class MqttFacilityLink implements FacilityLink, Service {
  readonly name = 'facility-link';
  readonly topics: ReaderTopics;
  readonly delivery: Delivery;
  #client: MqttClient | undefined;
  #requests: Requests;
  #commands: CommandDispatcher;
  #health: TimerHandle | undefined;
  #closed = false;
  #connected = false;
  /** The facility consumer's retained status says "online" (FACILITY_STATUS_TOPIC). */
  #facilityOnline = false;
  #onlineWaiters: (() => void)[] = [];
  /** One handler per topic the link subscribes to (the facility's retained status and the reader's own inbound topics). */
  readonly #routes: ReadonlyMap<string, (payload: Buffer) => Promise<void> | void>;

  constructor(private readonly o: MqttFacilityLinkOptions) {
    this.topics = readerTopics(o.readerId);
    this.#routes = new Map<string, (payload: Buffer) => Promise<void> | void>([
      [FACILITY_STATUS_TOPIC, (p) => this.#onFacilityStatus(p)],
      [this.topics.acks, (p) => this.#onAck(p)],
      [this.topics.responses, (p) => this.#requests.onResponse(decode('kaoreader.response', p))],
      [this.topics.commands, (p) => this.#onCommand(p)],
    ]);
    const log = o.log;
    this.#requests = new Requests(o.clock, log.child('requests'));
    this.#commands = new CommandDispatcher({
      readerId: o.readerId,
      facilityId: o.facilityId,
      trust: o.commands,
      settings: o.settings,
      system: o.system ?? {},
      clock: o.clock,
      log: log.child('commands'),
    });
    this.delivery = new Delivery({
      outbox: o.outbox,
      clock: o.clock,
      log: log.child('delivery'),
      publish: (r) =>
        this.#publish(this.topics.results, r.payload, {
          qos: 1,
          properties: this.#v5({ responseTopic: this.topics.acks, correlationData: Buffer.from(r.id) }, 'kaoreader.result/1'),
        }),
      ...(o.window ? { window: o.window } : {}),
      ...(o.ackTimeoutMs ? { ackTimeoutMs: o.ackTimeoutMs } : {}),
      ...(o.backoffMinMs ? { backoffMinMs: o.backoffMinMs } : {}),
      ...(o.backoffMaxMs ? { backoffMaxMs: o.backoffMaxMs } : {}),
      ...(o.onDelivered ? { onDelivered: o.onDelivered } : {}),
      ...(o.onRefused ? { onRefused: o.onRefused } : {}),
    });
  }

  get connected(): boolean {
    return this.#connected;
  }
  /** Connected and the facility consumer is online: results flow, requests are sent. */
  get facilityOnline(): boolean {
    return this.#connected && this.#facilityOnline;
  }

  async start(signal?: AbortSignal): Promise<void> {
    const o = this.o;
    const options = clientOptions(o, this.topics.status);
    const client = connect(o.brokerUrl, options);
    this.#client = client;
    client.on('connect', () => {
      noDelay(client);
      void this.#onConnect();
    });
    client.on('close', () => this.#setOffline());
    client.on('offline', () => this.#setOffline());
    client.on('error', (err) => o.log.warn('mqtt error', { err }));
    client.on('message', (topic, payload) => {
      void this.#onMessage(topic, payload);
    });
    this.#health = o.clock.setTimeout(() => this.#healthTick(), o.healthIntervalMs ?? 10_000);
    const wait = o.connectWaitMs ?? 5000;
    await new Promise<void>((resolve) => {
      const t = o.clock.setTimeout(resolve, wait);
      this.#onlineWaiters.push(() => {
        t.cancel();
        resolve();
      });
      signal?.addEventListener(
        'abort',
        () => {
          t.cancel();
          resolve();
        },
        { once: true },
      );
    });
  }

  async #onConnect(): Promise<void> {
    const client = this.#client;
    if (!client) return;
    try {
      await client.subscribeAsync(
        [...this.#routes.keys()].filter((t) => t !== FACILITY_STATUS_TOPIC),
        { qos: 1 },
      );
      // A subscription that survives in the persistent session does not get the retained
      // facility status again (mosquitto 2.0): subscribe afresh so we learn it now.
      await client.unsubscribeAsync(FACILITY_STATUS_TOPIC);
      await client.subscribeAsync(FACILITY_STATUS_TOPIC, { qos: 1 });
      const birth = birthMessage(this.o, this.o.clock.now());
      await this.#publish(this.topics.status, encode('kaoreader.status', birth), {
        qos: 1,
        retain: true,
        properties: this.#v5({}, 'kaoreader.status/1'),
      });
    } catch (err) {
      this.o.log.warn('connected but could not subscribe/announce; will retry on reconnect', { err });
      return;
    }
    this.#connected = true;
    this.o.log.info('facility link online', { depth: this.o.outbox.depth, facilityOnline: this.#facilityOnline });
    this.delivery.setOnline(this.#facilityOnline);
    this.#publishHealth();
    for (const w of this.#onlineWaiters.splice(0)) w();
  }

  #setOffline(): void {
    if (!this.#connected) return;
    this.#connected = false;
    this.#facilityOnline = false; // learnt again from the retained status after reconnecting
    this.delivery.setOnline(false);
    this.o.log.warn('facility link offline; results stay in the outbox', { depth: this.o.outbox.depth });
  }

  async #onMessage(topic: string, payload: Buffer): Promise<void> {
    const handle = this.#routes.get(topic);
    if (!handle) {
      this.o.log.debug('message on a topic the link does not handle', { topic });
      return;
    }
    try {
      await handle(payload);
    } catch (err) {
      this.o.log.warn('facility message dropped', { topic, code: err instanceof KaoreaderError ? err.code : undefined, err });
    }
  }

  #onFacilityStatus(payload: Buffer): void {
    const online = decode('kaoreader.facility-status', payload).state === 'online';
    if (online !== this.#facilityOnline)
      this.o.log.info(online ? 'facility online' : 'facility offline; results wait', { depth: this.o.outbox.depth });
    this.#facilityOnline = online;
    this.delivery.setOnline(this.#connected && online);
  }

  async #onAck(payload: Buffer): Promise<void> {
    const ack = decode('kaoreader.ack', payload);
    await this.delivery.onAck(ack.id, ack.stored, ack.error);
  }

  async #onCommand(payload: Buffer): Promise<void> {
    await this.#commands.answer(payload, (reply) =>
      this.#publish(this.topics.replies, encode('kaoreader.command-reply', reply), {
        qos: 1,
        properties: this.#v5({}, 'kaoreader.command-reply/1'),
      }),
    );
  }

  async qualify(card: CardOfVisit, options: RequestOptions): Promise<QualificationAnswer> {
    const r = await this.#request({ kind: 'qualify', ...cardFields(card) }, options);
    if (!r.answer) throw new LinkClosedError('facility answered qualify without an answer');
    return r.answer;
  }

  async prove(proof: VisitProof, options: RequestOptions): Promise<void> {
    await this.#request(
      { kind: 'prove', ...cardFields(proof), challenge: proof.challenge, signature: Buffer.from(proof.signature).toString('base64') },
      options,
    );
  }

  async register(card: CardOfVisit & { readonly challenge: string }, options: RequestOptions): Promise<void> {
    await this.#request({ kind: 'register', ...cardFields(card), challenge: card.challenge }, options);
  }

  #request(fields: Omit<Request, 'schema' | 'id' | 'sentAt' | 'readerId'>, options: RequestOptions) {
    return this.#requests.call(
      { ...fields, readerId: this.o.readerId },
      { ...options, online: this.facilityOnline && !this.#closed },
      (req) =>
        this.#publish(this.topics.requests, encode('kaoreader.request', req), {
          qos: 1,
          properties: this.#v5({ responseTopic: this.topics.responses, correlationData: Buffer.from(req.id) }, req.schema),
        }),
    );
  }

  async submitResult(result: VisitResult): Promise<void> {
    if (this.#closed) throw new LinkClosedError('facility link is closed');
    await this.o.outbox.append(result.id, encode('kaoreader.result', result)); // encode validates
    this.delivery.pump();
  }

  healthNumbers(): Health {
    return healthMessage(this.o.readerId, this.o.outbox, this.delivery.inFlight, this.o.clock.now());
  }

  health(): Promise<HealthCheck[]> {
    const h = this.healthNumbers();
    return Promise.resolve([
      {
        name: 'facility-link',
        critical: false,
        ok: this.facilityOnline,
        detail: this.facilityOnline
          ? 'connected, facility online'
          : this.#connected
            ? 'connected, facility consumer offline'
            : 'not connected to the facility broker',
      },
      {
        name: 'outbox',
        ok: h.outboxStatus === 'ok',
        detail: `${h.outboxDepth} undelivered, oldest ${h.oldestUndeliveredAgeMs} ms, ${h.outboxStatus}`,
      },
    ]);
  }

  #healthTick(): void {
    if (this.#closed) return;
    this.#publishHealth();
    this.#health = this.o.clock.setTimeout(() => this.#healthTick(), this.o.healthIntervalMs ?? 10_000);
  }

  #publishHealth(): void {
    if (!this.#connected) return;
    this.#publish(this.topics.health, encode('kaoreader.health', this.healthNumbers()), {
      qos: 0,
      properties: this.#v5({}, 'kaoreader.health/1'),
    }).catch((err: unknown) => this.o.log.debug('health not sent', { err }));
  }

  #v5(props: { responseTopic?: string; correlationData?: Buffer }, schema: string): IClientPublishOptions['properties'] {
    if ((this.o.protocolVersion ?? 5) !== 5) return undefined;
    return { ...props, userProperties: { schema } };
  }

  async #publish(topic: string, payload: Buffer, opts: IClientPublishOptions): Promise<void> {
    const client = this.#client;
    if (!client || this.#closed) throw new LinkClosedError('facility link is closed');
    // Never let mqtt.js queue while offline: the outbox is the queue, and it resends on reconnect.
    if (!client.connected) throw new LinkClosedError('facility link is offline');
    if (opts.properties === undefined) delete opts.properties;
    await client.publishAsync(topic, payload, opts);
  }

  async stop(): Promise<void> {
    await this.close();
  }

  /** Disconnects cleanly (publishing "offline" ourselves, as the will is not sent then) and closes the outbox. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#health?.cancel();
    this.#requests.closeAll();
    this.delivery.stop();
    const client = this.#client;
    if (client?.connected) {
      await client
        .publishAsync(this.topics.status, encode('kaoreader.status', offlineMessage(this.o, this.o.clock.now())), { qos: 1, retain: true })
        .catch(() => undefined);
    }
    this.#closed = true;
    this.#connected = false;
    await client?.endAsync().catch(() => undefined);
    await this.o.outbox.close();
  }
}
