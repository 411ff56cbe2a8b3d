/**
 * The published description of the facility protocol, generated from the code: one JSON Schema
 * file per message schema and version (`docs/schemas/kaoreader.result-1.json`, named by the
 * `schema` id) and an AsyncAPI 2.6 document (`docs/schemas/asyncapi.json`) with every topic,
 * its direction, QoS, retention and message. `scripts/generate-schemas.ts` writes them; a test
 * fails when the files drift from this.
 */
import { SCHEMAS } from './schemas.ts';

export const SCHEMA_DOCS_DIR = 'docs/schemas';

/** `kaoreader.result` + 1 → `kaoreader.result-1.json` */
export const schemaFileName = (name: string, version: number): string => `${name}-${version}.json`;

interface Channel {
  readonly topic: string;
  readonly from: 'reader' | 'facility';
  readonly schema: string;
  readonly qos: 0 | 1;
  readonly retained: boolean;
  readonly description: string;
}

/** Every topic (messages/topics.ts), as docs/facility-protocol.md's table says. */
const CHANNELS: readonly Channel[] = [
  {
    topic: 'readers/{readerId}/status',
    from: 'reader',
    schema: 'kaoreader.status',
    qos: 1,
    retained: true,
    description: 'Birth "online" at every connect (firmware version, boot counter, hardware); last will "offline".',
  },
  {
    topic: 'readers/{readerId}/health',
    from: 'reader',
    schema: 'kaoreader.health',
    qos: 0,
    retained: false,
    description: 'Outbox depth, oldest undelivered age, in flight, outbox status; periodic.',
  },
  {
    topic: 'readers/{readerId}/results',
    from: 'reader',
    schema: 'kaoreader.result',
    qos: 1,
    retained: false,
    description:
      'One visit outcome from the durable outbox; resent until acknowledged. Accepted results carry the proof (certificate, challenge, signature).',
  },
  {
    topic: 'facility/{readerId}/acks',
    from: 'facility',
    schema: 'kaoreader.ack',
    qos: 0,
    retained: false,
    description: 'The facility stored (after commit) or refused a result id; a proof refusal is final.',
  },
  {
    topic: 'readers/{readerId}/requests',
    from: 'reader',
    schema: 'kaoreader.request',
    qos: 1,
    retained: false,
    description: 'qualify (with the card certificate), prove (signature over the challenge), register.',
  },
  {
    topic: 'facility/{readerId}/responses',
    from: 'facility',
    schema: 'kaoreader.response',
    qos: 1,
    retained: false,
    description: 'Answer to a request id: the qualification answer with a fresh challenge, or an error code.',
  },
  {
    topic: 'facility/{readerId}/commands',
    from: 'facility',
    schema: 'kaoreader.command',
    qos: 1,
    retained: false,
    description:
      'Commands from facility IT, signed with the facility command key over a kaoreader.command-body/1 (one reader, issue time, expiry); MQTT 5 message expiry = their validity (default 5 min).',
  },
  {
    topic: 'readers/{readerId}/replies',
    from: 'reader',
    schema: 'kaoreader.command-reply',
    qos: 1,
    retained: false,
    description: 'The reply to every command.',
  },
  {
    topic: 'facility/status',
    from: 'facility',
    schema: 'kaoreader.facility-status',
    qos: 1,
    retained: true,
    description: 'The facility consumer is online; last will "offline". Readers send only while it says online.',
  },
];

function latest(name: string): number {
  return Math.max(...Object.keys(SCHEMAS[name] ?? {}).map(Number));
}

/** File name (relative to docs/schemas) → content, stable (2-space JSON, trailing newline). */
export function schemaDocs(): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, versions] of Object.entries(SCHEMAS)) {
    for (const [v, schema] of Object.entries(versions)) {
      const doc = {
        $schema: 'http://json-schema.org/draft-07/schema#',
        $id: `urn:kaoreader:schema:${name}/${v}`,
        title: `${name}/${v}`,
        ...schema,
      };
      out.set(schemaFileName(name, Number(v)), `${JSON.stringify(doc, null, 2)}\n`);
    }
  }
  const messages: Record<string, unknown> = {};
  for (const name of Object.keys(SCHEMAS)) {
    const v = latest(name);
    messages[name] = {
      name: `${name}/${v}`,
      title: `${name}/${v}`,
      contentType: 'application/json',
      payload: { $ref: `./${schemaFileName(name, v)}` },
    };
  }
  const channels: Record<string, unknown> = {};
  for (const c of CHANNELS) {
    const op = {
      operationId: `${c.from === 'reader' ? 'receive' : 'send'}-${c.schema.replace(/^kaoreader\./, '')}`,
      bindings: { mqtt: { qos: c.qos, retain: c.retained, bindingVersion: '0.1.0' } },
      message: { $ref: `#/components/messages/${c.schema}` },
    };
    channels[c.topic] = {
      description: `${c.description} Published by the ${c.from}. MQTT 5 publishes carry the user property "schema".`,
      ...(c.topic.includes('{readerId}')
        ? {
            parameters: {
              readerId: {
                description: 'The reader id (certificate CN, MQTT username): kr-<12 hex>',
                schema: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{2,62}$' },
              },
            },
          }
        : {}),
      // AsyncAPI 2: from the facility service's side, "publish" = what it receives, "subscribe" = what it sends.
      [c.from === 'reader' ? 'publish' : 'subscribe']: op,
    };
  }
  const asyncapi = {
    asyncapi: '2.6.0',
    info: {
      title: 'kaoreader facility protocol',
      version: '1',
      description:
        'Readers and the facility service over MQTT 5 (3.1.1 supported). Every payload names its schema and major version in "schema". docs/facility-protocol.md explains delivery, proofs and pairing.',
    },
    defaultContentType: 'application/json',
    servers: {
      facility: {
        url: '{host}:8883',
        protocol: 'mqtts',
        description: 'The facility broker (mosquitto): TLS with client certificates from the facility CA',
        variables: { host: { default: 'broker.example' } },
      },
    },
    channels,
    components: { messages },
  };
  out.set('asyncapi.json', `${JSON.stringify(asyncapi, null, 2)}\n`);
  return out;
}
