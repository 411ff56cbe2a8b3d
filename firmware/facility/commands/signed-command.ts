/**
 * The one shape of a facility command (docs/facility-protocol.md §Commands), as both sides
 * send and check it:
 *
 *   kaoreader.command/2        { schema, keyId, body, signature }      on facility/<reader>/commands
 *   kaoreader.command-body/1   { schema, id, facilityId, readerId, issuedAt, expiresAt, command, args }
 *
 * `body` is the base64 of the exact UTF-8 JSON bytes of the command body and `signature` the
 * base64 Ed25519 signature of those bytes by the facility command key (command-key.ts), so
 * nothing is re-serialised before it is checked. The body names the one reader it is for and
 * the time it was issued and stops being valid; `set-staff-password` carries only a scrypt hash
 * (firmware/core/staff-password-hash.ts). The unsigned `kaoreader.command/1` is gone: a reader
 * answers it UNSUPPORTED_SCHEMA_VERSION.
 */
import type { StaffPasswordHash } from '../../core/staff-password-hash.ts';

/** Longest a command may be valid (expiresAt − issuedAt). */
export const MAX_COMMAND_LIFETIME_MS = 60 * 60_000;
/** Default validity of a command the facility signs (the broker drops it when it expires too). */
export const DEFAULT_COMMAND_TTL_MS = 5 * 60_000;
/** Clock difference tolerated between the facility and a reader (a Pi has no RTC until NTP). */
export const COMMAND_CLOCK_SKEW_MS = 2 * 60_000;

export type Command =
  | { readonly command: 'set-facility-name'; readonly args: { readonly name: string } }
  | { readonly command: 'set-staff-password'; readonly args: { readonly hash: StaffPasswordHash } }
  | { readonly command: 'restart'; readonly args: { readonly reason?: string } }
  | { readonly command: 'request-logs'; readonly args: { readonly lines?: number } }
  | { readonly command: 'check-update'; readonly args: Record<string, never> };

/** What the facility signs. */
export type CommandBody = Command & {
  readonly schema: 'kaoreader.command-body/1';
  readonly id: string;
  readonly facilityId: string;
  readonly readerId: string;
  readonly issuedAt: string;
  readonly expiresAt: string;
};

/** What travels on the wire. */
export interface SignedCommand {
  readonly schema: 'kaoreader.command/2';
  readonly keyId: string;
  readonly body: string;
  readonly signature: string;
}

const time = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z$' } as const;
const uuid = { type: 'string', pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' } as const;
const id = { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{2,62}$' } as const;
const base64 = (min: number, max: number) =>
  ({ type: 'string', minLength: min, maxLength: max, pattern: '^[A-Za-z0-9+/]*={0,2}$' }) as const;

const staffPasswordHash = {
  type: 'object',
  additionalProperties: false,
  required: ['alg', 'N', 'r', 'p', 'salt', 'hash'],
  properties: {
    alg: { const: 'scrypt' },
    N: { type: 'integer', minimum: 16384, maximum: 65536 },
    r: { const: 8 },
    p: { const: 1 },
    salt: base64(24, 24),
    hash: base64(44, 44),
  },
} as const;

const cmd = (name: string, args: Record<string, unknown>, required: readonly string[]) => ({
  type: 'object',
  additionalProperties: false,
  required: ['schema', 'id', 'facilityId', 'readerId', 'issuedAt', 'expiresAt', 'command', 'args'],
  properties: {
    schema: { const: 'kaoreader.command-body/1' },
    id: uuid,
    facilityId: id,
    readerId: id,
    issuedAt: time,
    expiresAt: time,
    command: { const: name },
    args: { type: 'object', additionalProperties: false, required, properties: args },
  },
});

export const commandBody1 = {
  oneOf: [
    cmd('set-facility-name', { name: { type: 'string', minLength: 1, maxLength: 200 } }, ['name']),
    cmd('set-staff-password', { hash: staffPasswordHash }, ['hash']),
    cmd('restart', { reason: { type: 'string', maxLength: 200 } }, []),
    cmd('request-logs', { lines: { type: 'integer', minimum: 1, maximum: 1000 } }, []),
    cmd('check-update', {}, []),
  ],
} as const;

export const signedCommand2 = {
  type: 'object',
  additionalProperties: false,
  required: ['schema', 'keyId', 'body', 'signature'],
  properties: {
    schema: { const: 'kaoreader.command/2' },
    keyId: { type: 'string', pattern: '^[0-9a-f]{16}$' },
    body: base64(4, 16_384),
    signature: base64(88, 88),
  },
} as const;
