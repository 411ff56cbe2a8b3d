/**
 * The staff password's one policy and one hash format, shared by every side that sets it (the
 * `kaoreader staff-password` CLI, the facility service hashing before it signs a
 * `set-staff-password` command) and the reader that checks it on the pad.
 *
 * Policy: 8–16 digits. The reader's inputs are a touch digit pad and an optional USB numeric
 * keypad at a patient-facing counter; a full keyboard there is slow, shoulder-surfed and hard
 * with gloves, so staff get a long numeric code instead. The reader locks the pad after a few
 * wrong tries (persisted), which makes online guessing of 10^8 codes hopeless; offline guessing
 * from a stolen reader is slowed by scrypt (docs/security.md).
 *
 * Hash: scrypt (node:crypto) with a random 16-byte salt, 32-byte key; r = 8, p = 1, cost N a
 * power of two. A hash received over the network is accepted only with 2^14 ≤ N ≤ 2^16 (at
 * most 64 MiB of memory on the reader, at least the sim's cost).
 */
import { randomBytes, scrypt as scryptCb } from 'node:crypto';
import { KaoreaderError } from './errors.ts';

export const STAFF_PASSWORD_MIN_DIGITS = 8;
export const STAFF_PASSWORD_MAX_DIGITS = 16;
const R = 8;
const P = 1;
const KEY_BYTES = 32;
const SALT_BYTES = 16;
/** Bounds on the cost of a hash that came from elsewhere (a facility command). */
export const RECEIVED_COST = { min: 1 << 14, max: 1 << 16 } as const;

export class StaffPasswordPolicyError extends KaoreaderError {
  readonly code = 'STAFF_PASSWORD_POLICY';
}

/** What is stored and what a `set-staff-password` command carries: never the password. */
export interface StaffPasswordHash {
  readonly alg: 'scrypt';
  readonly N: number;
  readonly r: number;
  readonly p: number;
  /** base64, 16 bytes */
  readonly salt: string;
  /** base64, 32 bytes */
  readonly hash: string;
}

/** Throws StaffPasswordPolicyError unless `password` is 8–16 ASCII digits. Never echoes it. */
export function checkStaffPasswordPolicy(password: Uint8Array): void {
  const digitsOnly = password.every((b) => b >= 0x30 && b <= 0x39);
  if (!digitsOnly || password.length < STAFF_PASSWORD_MIN_DIGITS || password.length > STAFF_PASSWORD_MAX_DIGITS) {
    throw new StaffPasswordPolicyError(`the staff password must be ${STAFF_PASSWORD_MIN_DIGITS}–${STAFF_PASSWORD_MAX_DIGITS} digits`);
  }
}

export function scryptKey(password: Uint8Array, salt: Uint8Array, N: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCb(password, salt, KEY_BYTES, { N, r, p, maxmem: 256 * N * r + 1024 * 1024 }, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

/** Checks the policy, then hashes with a fresh salt at cost `N`. The bytes stay the caller's to wipe. */
export async function hashStaffPassword(password: Uint8Array, N: number): Promise<StaffPasswordHash> {
  checkStaffPasswordPolicy(password);
  const salt = randomBytes(SALT_BYTES);
  const key = await scryptKey(password, salt, N, R, P);
  const out: StaffPasswordHash = { alg: 'scrypt', N, r: R, p: P, salt: salt.toString('base64'), hash: key.toString('base64') };
  key.fill(0);
  return out;
}

/** Throws StaffPasswordPolicyError unless `h` is a well-formed scrypt hash within the bounds for received hashes. */
export function checkReceivedHash(h: StaffPasswordHash): void {
  const powerOfTwo = Number.isInteger(Math.log2(h.N));
  const ok =
    h.alg === 'scrypt' &&
    powerOfTwo &&
    h.N >= RECEIVED_COST.min &&
    h.N <= RECEIVED_COST.max &&
    h.r === R &&
    h.p === P &&
    Buffer.from(h.salt, 'base64').length === SALT_BYTES &&
    Buffer.from(h.hash, 'base64').length === KEY_BYTES;
  if (!ok)
    throw new StaffPasswordPolicyError(
      `a staff password hash must be scrypt with N in 2^14…2^16, r=${R}, p=${P}, a ${SALT_BYTES}-byte salt and a ${KEY_BYTES}-byte key`,
    );
}
