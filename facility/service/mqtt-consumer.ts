/**
 * The facility's MQTT connection (CN `facility`): a persistent session with a stable client id
 * (the broker queues results while the service restarts), the retained `facility/status`
 * online/offline with last will, the subscriptions (optionally `$share/<group>/` so several
 * services split the readers), and one handler per topic leaf. Answers go only to the sending
 * reader's own topics. Every message is validated (codec.ts); a bad one is answered with an
 * error (results, requests) or dropped and counted.
 */
import { randomBytes } from 'node:crypto';
import { connect, type IClientOptions, type IClientPublishOptions, type IPublishPacket, type MqttClient } from 'mqtt';
import { KaoreaderError } from '../../firmware/core/errors.ts';
import type { Logger } from '../../firmware/core/logger.ts';
import { noDelay, quietMqttLog } from '../../firmware/facility/link/client-options.ts';
import { coalesceWritesPerRead } from './coalesced-writes.ts';
import { decode, encode, MAX_MESSAGE_BYTES } from '../../firmware/facility/messages/codec.ts';
import { FACILITY_STATUS_TOPIC, facilitySubscriptions, parseReaderTopic, readerTopics } from '../../firmware/facility/messages/topics.ts';
import { unverifiedId } from '../../firmware/facility/messages/unverified-id.ts';
import type { Ack, CommandReply, Health, Request, Response, Status } from '../../firmware/facility/messages/types.ts';
import type { Clock } from '../../firmware/ports/clock.ts';
import type { VisitResult } from '../../firmware/ports/facility-link.ts';

export interface BrokerSettings {
  readonly url: string;
  readonly tls?: { readonly ca: string; readonly cert: string; readonly key: string };
  readonly protocolVersion?: 5 | 4;
  readonly clientId?: string;
  /** Subscribe as `$share/<group>/…` so several facility services split the load. */
  readonly shareGroup?: string;
  /** Opens the MQTT connection (the transport; `mqtt.connect` unless given). */
  readonly connect?: (url: string, options: IClientOptions) => MqttClient;
}

export interface ConsumerHandlers {
  /** A valid result from `readerId`; `answer` publishes its ack. */
  result(readerId: string, result: VisitResult, raw: string, answer: (ack: Ack) => void): void;
  request(readerId: string, request: Request): Promise<Response>;
  status(status: Status): void;
  health(health: Health): void;
  reply(reply: CommandReply): void;
  /** A message that failed validation or named another reader (counted, answered when possible). */
  invalid(readerId: string, leaf: string, err: unknown): void;
}

export class MqttConsumer {
  private constructor(
    readonly client: MqttClient,
    private readonly o: { facilityId: string; broker: BrokerSettings; clock: Clock; log: Logger; handlers: ConsumerHandlers },
  ) {}

  static async connect(o: {
    facilityId: string;
    broker: BrokerSettings;
    clock: Clock;
    log: Logger;
    handlers: ConsumerHandlers;
  }): Promise<MqttConsumer> {
    const b = o.broker;
    const v5 = (b.protocolVersion ?? 5) === 5;
    const options: IClientOptions = {
      clientId: b.clientId ?? (b.shareGroup ? `facility-${o.facilityId}-${randomBytes(3).toString('hex')}` : `facility-${o.facilityId}`),
      protocolVersion: b.protocolVersion ?? 5,
      clean: false,
      reconnectPeriod: 500,
      ...quietMqttLog(),
      connectTimeout: 10_000,
      ...(v5 ? { properties: { sessionExpiryInterval: 24 * 3600 } } : {}),
      will: { topic: FACILITY_STATUS_TOPIC, payload: facilityStatus(o.facilityId, 'offline', o.clock.now()), qos: 1, retain: true },
      ...(b.tls ? { ca: b.tls.ca, cert: b.tls.cert, key: b.tls.key, rejectUnauthorized: true } : {}),
    };
    const client = await new Promise<MqttClient>((resolve, reject) => {
      const c = (b.connect ?? connect)(b.url, options);
      const fail = (err: Error): void => {
        c.end(true);
        reject(err);
      };
      c.once('error', fail);
      c.once('connect', () => {
        c.off('error', fail);
        resolve(c);
      });
      c.on('connect', () => {
        noDelay(c);
        coalesceWritesPerRead(c.stream); // the PUBACKs of the results one read brought leave in one write
        // QoS 0 acks wait for 'drain' one listener each while the broker is behind: not a leak.
        c.stream.setMaxListeners(0);
      });
    });
    const consumer = new MqttConsumer(client, o);
    client.on('message', (topic, payload, packet) => consumer.#onMessage(topic, payload, packet));
    client.on('error', (err) => o.log.warn('facility mqtt error', { err }));
    const announce = async (): Promise<void> => {
      const prefix = b.shareGroup ? `$share/${b.shareGroup}/` : '';
      await client.subscribeAsync(
        facilitySubscriptions.map((t) => `${prefix}${t}`),
        { qos: 1 },
      );
      await client.publishAsync(FACILITY_STATUS_TOPIC, facilityStatus(o.facilityId, 'online', o.clock.now()), { qos: 1, retain: true });
    };
    await announce();
    client.on('connect', () => {
      announce().catch((err: unknown) => o.log.warn('facility could not resubscribe/announce', { err }));
    });
    return consumer;
  }

  #onMessage(topic: string, payload: Buffer, packet: IPublishPacket): void {
    const where = parseReaderTopic(topic);
    if (!where) return;
    const { readerId, leaf } = where;
    const h = this.o.handlers;
    try {
      switch (leaf) {
        case 'results':
          return this.#onResult(readerId, payload, packet);
        case 'requests':
          return this.#onRequest(readerId, payload, packet);
        case 'status':
          return h.status(this.#mine(readerId, decode('kaoreader.status', payload)));
        case 'health':
          return h.health(this.#mine(readerId, decode('kaoreader.health', payload)));
        case 'replies':
          return h.reply(decode('kaoreader.command-reply', payload));
        default:
          return;
      }
    } catch (err) {
      h.invalid(readerId, leaf, err);
    }
  }

  #mine<T extends { readerId: string }>(readerId: string, m: T): T {
    if (m.readerId !== readerId) throw new ReaderMismatchError(m.readerId, readerId);
    return m;
  }

  #onResult(readerId: string, payload: Buffer, packet: IPublishPacket): void {
    const acks = readerTopics(readerId).acks;
    const replyTo = packet.properties?.responseTopic ?? acks;
    if (replyTo !== acks) return; // never answer onto another reader's topics
    // QoS 0: an ack is idempotent and regenerated on every resend (the reader resends anything
    // unacked after its timeout or a reconnect, and we dedupe), so a lost ack costs one resend.
    const answer = (ack: Ack): void => {
      this.client
        .publishAsync(replyTo, encode('kaoreader.ack', ack), {
          qos: 0,
          ...(packet.properties?.correlationData ? { properties: { correlationData: packet.properties.correlationData } } : {}),
        })
        .catch((err: unknown) => this.o.log.warn('ack not sent (the reader will resend)', { readerId, id: ack.id, err }));
    };
    let result: VisitResult;
    let raw: string;
    try {
      raw = payload.byteLength > MAX_MESSAGE_BYTES ? '' : payload.toString('utf8'); // decoded once: parsed and stored as it came
      result = this.#mine(readerId, decode('kaoreader.result', raw || payload));
    } catch (err) {
      this.o.handlers.invalid(readerId, 'results', err);
      const id = unverifiedId(payload);
      if (id)
        answer({
          schema: 'kaoreader.ack/1',
          id,
          stored: false,
          error: { code: replyCodeOf(err), message: (err as Error).message.slice(0, 400) },
        });
      return;
    }
    this.o.handlers.result(readerId, result, raw, answer);
  }

  #onRequest(readerId: string, payload: Buffer, packet: IPublishPacket): void {
    const replyTo = readerTopics(readerId).responses;
    const send = (r: Response): Promise<void> =>
      this.client
        .publishAsync(replyTo, encode('kaoreader.response', r), {
          qos: 1,
          ...(packet.properties?.correlationData ? { properties: { correlationData: packet.properties.correlationData } } : {}),
        })
        .then(() => undefined);
    let req: Request;
    try {
      req = this.#mine(readerId, decode('kaoreader.request', payload));
    } catch (err) {
      this.o.handlers.invalid(readerId, 'requests', err);
      const id = unverifiedId(payload);
      if (id)
        send({
          schema: 'kaoreader.response/1',
          requestId: id,
          ok: false,
          error: { code: replyCodeOf(err), message: (err as Error).message.slice(0, 400) },
        }).catch(() => undefined);
      return;
    }
    this.o.handlers
      .request(readerId, req)
      .then(send)
      .catch((err: unknown) => this.o.log.warn('response not sent', { readerId, requestId: req.id, err }));
  }

  /**
   * Runs `fn` (which publishes many acks) with the broker socket corked: the publishes of one
   * batch leave in one write instead of one system call each.
   */
  corked(fn: () => void): void {
    const stream = this.client.stream as { cork?: () => void; uncork?: () => void } | undefined;
    stream?.cork?.();
    try {
      fn();
    } finally {
      process.nextTick(() => stream?.uncork?.());
    }
  }

  /**
   * Publishes a command payload to a reader with the signer's options (QoS 1; on MQTT 5 a
   * message expiry equal to the command's validity: a reader away for days gets no stale command).
   */
  async publishCommand(readerId: string, payload: Buffer, options: IClientPublishOptions): Promise<void> {
    await this.client.publishAsync(readerTopics(readerId).commands, payload, options);
  }

  /** Announces "offline" and disconnects; `endSession`: the broker forgets our session (MQTT 5). */
  async close(options: { readonly endSession?: boolean } = {}): Promise<void> {
    if (this.client.connected)
      await this.client
        .publishAsync(FACILITY_STATUS_TOPIC, facilityStatus(this.o.facilityId, 'offline', this.o.clock.now()), { qos: 1, retain: true })
        .catch(() => undefined);
    const v5 = (this.o.broker.protocolVersion ?? 5) === 5;
    await this.client.endAsync(false, options.endSession && v5 ? { properties: { sessionExpiryInterval: 0 } } : {});
  }
}

/** A message whose `readerId` is not the reader whose topic it came on. */
export class ReaderMismatchError extends KaoreaderError {
  readonly code = 'READER_MISMATCH';
  constructor(
    readonly claimed: string,
    readonly topicReader: string,
  ) {
    super(`the message says reader ${claimed} but came from ${topicReader}`);
  }
}

function facilityStatus(facilityId: string, state: 'online' | 'offline', now: number): Buffer {
  return encode('kaoreader.facility-status', { schema: 'kaoreader.facility-status/1', facilityId, state, at: new Date(now).toISOString() });
}

/** The code to answer a refused message with: the error's own when it has a well-formed one, else MESSAGE_INVALID. */
function replyCodeOf(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[A-Z][A-Z0-9_]{1,40}$/.test(code) ? code : 'MESSAGE_INVALID';
}
