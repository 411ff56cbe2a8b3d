/**
 * Canonical JSON as TUF signs it (the OLPC dialect securesystemslib and tuf-js use): object
 * keys sorted by UTF-16 code unit, no whitespace, only `"` and `\` escaped in strings,
 * integers only. The bytes that are signed and the bytes tuf-js verifies must be identical.
 */
import { KaoreaderError } from '../../firmware/core/errors.ts';

export class CanonicalJsonError extends KaoreaderError {
  readonly code = 'CANONICAL_JSON';
}

const MAX_DEPTH = 64;

function str(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function encode(value: unknown, depth: number): string {
  if (depth > MAX_DEPTH) throw new CanonicalJsonError('value nested too deeply for canonical JSON');
  if (value === null) return 'null';
  if (typeof value === 'string') return str(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new CanonicalJsonError(`canonical JSON allows integers only, got ${value}`);
    return String(value);
  }
  if (Array.isArray(value)) return `[${value.map((v) => encode(v, depth + 1)).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${str(k)}:${encode(v, depth + 1)}`).join(',')}}`;
  }
  throw new CanonicalJsonError(`cannot encode a ${typeof value} in canonical JSON`);
}

export function canonicalize(value: unknown): string {
  return encode(value, 0);
}
