/**
 * The facility side's MQTT traffic as QA sees it: one more client on the simulator's broker,
 * subscribed to every reader and facility topic, reporting each message with its direction and
 * parsed payload. Passwords in commands are masked before anything leaves this file.
 */
import { connect, type MqttClient } from 'mqtt';
import type { Clock } from '../../../firmware/ports/clock.ts';
import type { Logger } from '../../../firmware/core/logger.ts';
import type { MqttView } from './protocol.ts';

const TOPICS = ['readers/#', 'facility/#'];

function direction(topic: string): MqttView['direction'] {
  if (topic.startsWith('readers/')) return 'reader → facility';
  return topic === 'facility/status' ? 'facility' : 'facility → reader';
}

/** Any `password` field, at any depth, shown as dots. */
export function maskSecrets(value: unknown, depth = 0): unknown {
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => maskSecrets(v, depth + 1));
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, /password/i.test(k) && typeof v === 'string' ? '••••••••' : maskSecrets(v, depth + 1)]),
  );
}

export function describeMessage(n: number, at: number, topic: string, payload: Buffer): MqttView {
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload.toString('utf8'));
  } catch (err) {
    return {
      n,
      at,
      topic,
      direction: direction(topic),
      kind: `(not JSON: ${(err as Error).name})`,
      payload: payload.toString('base64').slice(0, 200),
    };
  }
  const schema = parsed !== null && typeof parsed === 'object' && 'schema' in parsed ? String(parsed.schema) : '(no schema)';
  return { n, at, topic, direction: direction(topic), kind: schema, payload: maskSecrets(parsed) };
}

export class FacilityTap {
  #n = 0;
  private constructor(readonly client: MqttClient) {}

  static async start(o: { brokerUrl: string; clock: Clock; log: Logger; onMessage: (m: MqttView) => void }): Promise<FacilityTap> {
    const client = await new Promise<MqttClient>((resolve, reject) => {
      const c = connect(o.brokerUrl, { clientId: `qa-console-${process.pid}`, clean: true, reconnectPeriod: 1000, connectTimeout: 10_000 });
      const fail = (err: Error): void => {
        c.end(true);
        reject(err);
      };
      c.once('error', fail);
      c.once('connect', () => {
        c.off('error', fail);
        resolve(c);
      });
    });
    const tap = new FacilityTap(client);
    client.on('message', (topic, payload) => o.onMessage(describeMessage(++tap.#n, o.clock.now(), topic, payload)));
    client.on('error', (err) => o.log.warn('console mqtt tap error', { err }));
    await client.subscribeAsync(TOPICS, { qos: 0 });
    return tap;
  }

  close(): Promise<void> {
    return this.client.endAsync(true);
  }
}
