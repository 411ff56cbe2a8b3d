/**
 * mqtt.js options of the reader's connection: client id = reader id, persistent session
 * (clean start off, MQTT 5 session expiry 7 days) so commands queued while the reader was
 * away arrive, the retained last will "offline", TLS with the facility CA and the reader's
 * own certificate, and no Nagle delay on the socket.
 */
import type { IClientOptions, MqttClient } from 'mqtt';
import { encode } from '../messages/codec.ts';
import { offlineMessage, type StatusSource } from './status.ts';
import type { Clock } from '../../ports/clock.ts';

export interface ConnectionSettings extends StatusSource {
  readonly clock: Clock;
  readonly protocolVersion?: 5 | 4;
  readonly reconnectMs?: number;
  readonly keepaliveS?: number;
  readonly tls?: { readonly ca: string; readonly cert: string; readonly key: string; readonly servername?: string };
}

export function clientOptions(o: ConnectionSettings, statusTopic: string): IClientOptions {
  const v5 = (o.protocolVersion ?? 5) === 5;
  return {
    clientId: o.readerId,
    protocolVersion: o.protocolVersion ?? 5,
    clean: false,
    reconnectPeriod: o.reconnectMs ?? 1000,
    connectTimeout: 10_000,
    keepalive: o.keepaliveS ?? 15,
    resubscribe: true,
    will: { topic: statusTopic, payload: encode('kaoreader.status', offlineMessage(o, o.clock.now())), qos: 1, retain: true },
    ...(v5 ? { properties: { sessionExpiryInterval: 7 * 24 * 3600 } } : {}),
    ...quietMqttLog(),
    ...(o.tls
      ? {
          ca: o.tls.ca,
          cert: o.tls.cert,
          key: o.tls.key,
          rejectUnauthorized: true,
          ...(o.tls.servername ? { servername: o.tls.servername } : {}),
        }
      : {}),
  };
}

/** Results and acks are small and latency-bound: no Nagle delay on the socket (mqtt.js leaves it on). */
export function noDelay(client: MqttClient): void {
  const stream = client.stream as { setNoDelay?: (on: boolean) => void } | undefined;
  stream?.setNoDelay?.(true);
}

/**
 * mqtt.js logs through `debug`, a call with arguments at every step of every packet even when
 * nobody listens (about 1 % of a busy link's or facility's CPU): a no-op instead, unless
 * `DEBUG` names mqttjs (troubleshooting), when mqtt.js keeps its own.
 */
export function quietMqttLog(env: NodeJS.ProcessEnv = process.env): Pick<IClientOptions, 'log'> {
  return env['DEBUG']?.includes('mqttjs') ? {} : { log: () => undefined };
}
