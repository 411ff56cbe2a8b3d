/**
 * The facility side's one signer: builds a `kaoreader.command-body/1` for one reader, with an
 * id, issue time and expiry, signs its exact bytes with the facility command key (Ed25519) and
 * wraps them in a `kaoreader.command/2`. `publishOptions` are what the facility publishes it
 * with on `facility/<reader>/commands`: QoS 1 and, on MQTT 5, a message expiry equal to the
 * command's remaining validity, so the broker does not keep a queued command past its use.
 *
 *   const signed = signCommand({ command: 'restart', args: {} }, { key, facilityId, readerId, now: Date.now() });
 *   await client.publishAsync(readerTopics(readerId).commands, signed.payload, signed.publishOptions(5));
 */
import { sign, type KeyObject } from 'node:crypto';
import type { IClientPublishOptions } from 'mqtt';
import { uuidv7 } from '../../core/uuidv7.ts';
import { encode, validate } from '../messages/codec.ts';
import { commandKeyId } from './command-key.ts';
import { DEFAULT_COMMAND_TTL_MS, MAX_COMMAND_LIFETIME_MS, type Command, type CommandBody, type SignedCommand } from './signed-command.ts';

export interface SignOptions {
  /** The facility command key (Ed25519 private). */
  readonly key: KeyObject;
  readonly facilityId: string;
  /** The one reader this command is for. */
  readonly readerId: string;
  /** Wall-clock ms (the facility's clock). */
  readonly now: number;
  /** Validity from `now`; default 5 min, at most MAX_COMMAND_LIFETIME_MS. */
  readonly ttlMs?: number;
  /** Command id (UUIDv7 by default). */
  readonly id?: string;
}

export interface Signed {
  readonly body: CommandBody;
  readonly message: SignedCommand;
  /** The bytes to publish. */
  readonly payload: Buffer;
  /** QoS 1; with MQTT 5 (`protocolVersion` 5) also the message expiry and the schema user property. */
  publishOptions(protocolVersion: 4 | 5): IClientPublishOptions;
}

export function signCommand(command: Command, o: SignOptions): Signed {
  const ttlMs = Math.min(o.ttlMs ?? DEFAULT_COMMAND_TTL_MS, MAX_COMMAND_LIFETIME_MS);
  const body = validate('kaoreader.command-body', {
    schema: 'kaoreader.command-body/1',
    id: o.id ?? uuidv7(o.now),
    facilityId: o.facilityId,
    readerId: o.readerId,
    issuedAt: new Date(o.now).toISOString(),
    expiresAt: new Date(o.now + ttlMs).toISOString(),
    ...command,
  } as CommandBody);
  const bytes = Buffer.from(JSON.stringify(body), 'utf8');
  const message: SignedCommand = {
    schema: 'kaoreader.command/2',
    keyId: commandKeyId(o.key),
    body: bytes.toString('base64'),
    signature: sign(null, bytes, o.key).toString('base64'),
  };
  const payload = encode('kaoreader.command', message);
  const expirySeconds = Math.max(1, Math.ceil(ttlMs / 1000));
  return {
    body,
    message,
    payload,
    publishOptions: (protocolVersion) =>
      protocolVersion === 5
        ? { qos: 1, properties: { messageExpiryInterval: expirySeconds, userProperties: { schema: 'kaoreader.command/2' } } }
        : { qos: 1 },
  };
}
