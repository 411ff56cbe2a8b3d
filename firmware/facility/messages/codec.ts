/**
 * Encodes and decodes facility messages against their versioned schemas (ajv). Both sides
 * (reader and facility simulator) use this: bad JSON or a schema violation is a
 * `MessageInvalidError` listing every problem; a known message with a version we do not speak
 * is an `UnsupportedSchemaVersionError`. Nothing half-valid gets through.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import { KaoreaderError } from '../../core/errors.ts';
import { SCHEMAS } from './schemas.ts';
import type { MessageMap, MessageName } from './types.ts';

export class MessageInvalidError extends KaoreaderError {
  readonly code = 'MESSAGE_INVALID';
  constructor(
    readonly expected: string,
    readonly problems: readonly string[],
  ) {
    super(`invalid ${expected} message: ${problems.slice(0, 5).join('; ')}`);
  }
}

export class UnsupportedSchemaVersionError extends KaoreaderError {
  readonly code = 'UNSUPPORTED_SCHEMA_VERSION';
  constructor(
    readonly schemaName: string,
    readonly version: string,
    readonly supported: readonly number[],
  ) {
    super(`${schemaName} version ${version} is not supported (this side speaks ${supported.join(', ')})`);
  }
}

/** Largest payload either side accepts (a result with a certificate is ~3 KiB). */
export const MAX_MESSAGE_BYTES = 64 * 1024;

const ajv = new Ajv({ allErrors: true, strict: false });
const validators = new Map<string, ValidateFunction>();
function validator(name: string, version: number): ValidateFunction | undefined {
  const key = `${name}/${version}`;
  let v = validators.get(key);
  if (!v) {
    const schema = SCHEMAS[name]?.[version];
    if (!schema) return undefined;
    v = ajv.compile(schema);
    validators.set(key, v);
  }
  return v;
}

function check<N extends MessageName>(expected: N, value: unknown): MessageMap[N] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new MessageInvalidError(expected, ['not a JSON object']);
  const tag = (value as { schema?: unknown }).schema;
  if (typeof tag !== 'string') throw new MessageInvalidError(expected, ['missing "schema" field']);
  const m = /^([a-z.-]+)\/(\d{1,6})$/.exec(tag);
  if (!m || m[1] !== expected)
    throw new MessageInvalidError(expected, [`"schema" is ${JSON.stringify(tag).slice(0, 80)}, expected ${expected}/<version>`]);
  const v = validator(expected, Number(m[2]));
  if (!v) throw new UnsupportedSchemaVersionError(expected, m[2] ?? '?', Object.keys(SCHEMAS[expected] ?? {}).map(Number));
  if (!v(value))
    throw new MessageInvalidError(
      expected,
      (v.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'invalid'}`),
    );
  return value as MessageMap[N];
}

/** Validates and serialises; a message that fails its own schema is never sent. */
export function encode<N extends MessageName>(expected: N, message: MessageMap[N]): Buffer {
  check(expected, message);
  return Buffer.from(JSON.stringify(message));
}

/** Parses and validates a received payload. */
export function decode<N extends MessageName>(expected: N, payload: Uint8Array | string): MessageMap[N] {
  const size = typeof payload === 'string' ? Buffer.byteLength(payload) : payload.byteLength;
  if (size > MAX_MESSAGE_BYTES) throw new MessageInvalidError(expected, [`payload of ${size} bytes exceeds ${MAX_MESSAGE_BYTES}`]);
  let value: unknown;
  try {
    value = JSON.parse(typeof payload === 'string' ? payload : utf8(payload));
  } catch {
    throw new MessageInvalidError(expected, ['not JSON']);
  }
  return check(expected, value);
}

/** The text of received bytes, without copying them first (a Buffer is read in place, other bytes through a view). */
function utf8(bytes: Uint8Array): string {
  return (Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)).toString('utf8');
}

/** Validates an in-memory object (e.g. a result before it enters the outbox). */
export function validate<N extends MessageName>(expected: N, value: unknown): MessageMap[N] {
  return check(expected, value);
}
