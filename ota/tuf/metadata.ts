/**
 * TUF metadata documents (specification 1.0): the four top-level roles as plain objects, and
 * signing over their canonical JSON. Root lists the keys and, per role, the key ids and the
 * threshold of signatures required; every role carries a version and an expiry.
 */
import { createHash } from 'node:crypto';
import { canonicalize } from './canonical-json.ts';
import { signBytes, type PublicKeyJson, type SigningKey } from './keys.ts';

export const SPEC_VERSION = '1.0.31';
export type RoleName = 'root' | 'targets' | 'snapshot' | 'timestamp';
export const ROLES: readonly RoleName[] = ['root', 'targets', 'snapshot', 'timestamp'];

export interface RoleKeys {
  readonly keyids: readonly string[];
  readonly threshold: number;
}
export interface MetaFileInfo {
  readonly version: number;
  readonly length: number;
  readonly hashes: { readonly sha256: string };
}
export interface TargetInfo {
  readonly length: number;
  readonly hashes: { readonly sha256: string };
  readonly custom?: Readonly<Record<string, unknown>>;
}

interface Common {
  readonly spec_version: string;
  readonly version: number;
  readonly expires: string;
}
export interface RootSigned extends Common {
  readonly _type: 'root';
  readonly consistent_snapshot: boolean;
  readonly keys: Readonly<Record<string, PublicKeyJson>>;
  readonly roles: Readonly<Record<RoleName, RoleKeys>>;
}
export interface TargetsSigned extends Common {
  readonly _type: 'targets';
  readonly targets: Readonly<Record<string, TargetInfo>>;
}
export interface SnapshotSigned extends Common {
  readonly _type: 'snapshot';
  readonly meta: Readonly<Record<string, MetaFileInfo>>;
}
export interface TimestampSigned extends Common {
  readonly _type: 'timestamp';
  readonly meta: Readonly<Record<string, MetaFileInfo>>;
}
export type AnySigned = RootSigned | TargetsSigned | SnapshotSigned | TimestampSigned;

export interface Envelope<T extends AnySigned> {
  readonly signed: T;
  readonly signatures: readonly { readonly keyid: string; readonly sig: string }[];
}

/** TUF's expiry format: ISO 8601 UTC without fractional seconds. */
export function expiresAt(nowMs: number, ttlMs: number): string {
  return new Date(nowMs + ttlMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function signEnvelope<T extends AnySigned>(signed: T, keys: readonly SigningKey[]): Envelope<T> {
  const bytes = Buffer.from(canonicalize(signed));
  const seen = new Set<string>();
  const signatures = keys.filter((k) => !seen.has(k.keyid) && seen.add(k.keyid)).map((k) => signBytes(k, bytes));
  return { signed, signatures };
}

/** The bytes written to the repository (pretty JSON; signatures cover the canonical form). */
export function envelopeBytes(env: Envelope<AnySigned>): Buffer {
  return Buffer.from(`${JSON.stringify(env, null, 1)}\n`);
}

export function metaInfo(version: number, bytes: Uint8Array): MetaFileInfo {
  return { version, length: bytes.length, hashes: { sha256: createHash('sha256').update(bytes).digest('hex') } };
}
