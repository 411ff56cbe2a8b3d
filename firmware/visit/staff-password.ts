/**
 * The facility's staff password for 目視確認 mode: stored only as a scrypt hash (random salt,
 * cost parameters kept beside it), checked in constant time, rate limited (after
 * `maxFailures` wrong tries the pad is locked for `lockoutMs`, persisted so a restart does not
 * reset it), changeable by facility IT (`set`). There is no default password: until one is set,
 * staff mode is unavailable.
 */
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { KaoreaderError } from '../core/errors.ts';
import type { Clock } from '../ports/clock.ts';
import type { Store } from '../ports/store.ts';
import type { StaffAuth } from './deps.ts';

export class StaffPasswordPolicyError extends KaoreaderError {
  readonly code = 'STAFF_PASSWORD_POLICY';
}

interface StoredHash { readonly v: 1; readonly salt: string; readonly hash: string; readonly N: number; readonly r: number; readonly p: number }
interface Failures { readonly count: number; readonly lockedUntil: number }

export interface StaffPasswordOptions {
  /** scrypt cost (2^15 in production ≈ 0.1 s on this board class; smaller only in tests). */
  readonly cost: number;
  readonly maxFailures: number;
  readonly lockoutMs: number;
  readonly minLength: number;
}

export const defaultStaffPasswordOptions: StaffPasswordOptions = { cost: 1 << 15, maxFailures: 5, lockoutMs: 5 * 60_000, minLength: 8 };

const HASH_KEY = 'staff-password';
const FAIL_KEY = 'staff-password-failures';

function scrypt(password: Uint8Array, salt: Buffer, N: number, r: number, p: number): Promise<Buffer> {
  const opts: ScryptOptions = { N, r, p, maxmem: 256 * N * r + 1024 * 1024 };
  return new Promise((resolve, reject) => scryptCb(password, salt, 32, opts, (err, key) => (err ? reject(err) : resolve(key))));
}

export class StaffPassword implements StaffAuth {
  constructor(private readonly store: Store, private readonly clock: Clock, private readonly options: StaffPasswordOptions = defaultStaffPasswordOptions) {}

  /** Sets or changes the password (facility IT). The bytes are the caller's to wipe. */
  async set(password: Uint8Array): Promise<void> {
    if (password.length < this.options.minLength || password.length > 128) {
      throw new StaffPasswordPolicyError(`staff password must be ${this.options.minLength}–128 characters`);
    }
    const salt = randomBytes(16);
    const { cost: N } = this.options;
    const hash = await scrypt(password, salt, N, 8, 1);
    const stored: StoredHash = { v: 1, salt: salt.toString('base64'), hash: hash.toString('base64'), N, r: 8, p: 1 };
    await this.store.set(HASH_KEY, stored);
    await this.store.set(FAIL_KEY, { count: 0, lockedUntil: 0 } satisfies Failures);
  }

  async isSet(): Promise<boolean> {
    return (await this.store.get<StoredHash>(HASH_KEY)) !== undefined;
  }

  async check(password: Uint8Array): Promise<'ok' | 'wrong' | 'locked' | 'unset'> {
    const stored = await this.store.get<StoredHash>(HASH_KEY);
    if (!stored) return 'unset';
    const now = this.clock.now();
    const failures = (await this.store.get<Failures>(FAIL_KEY)) ?? { count: 0, lockedUntil: 0 };
    if (now < failures.lockedUntil) return 'locked';
    const expected = Buffer.from(stored.hash, 'base64');
    const actual = await scrypt(password, Buffer.from(stored.salt, 'base64'), stored.N, stored.r, stored.p);
    const ok = actual.length === expected.length && timingSafeEqual(actual, expected);
    actual.fill(0);
    if (ok) {
      if (failures.count > 0) await this.store.set(FAIL_KEY, { count: 0, lockedUntil: 0 } satisfies Failures);
      return 'ok';
    }
    const count = failures.count + 1;
    const locked = count >= this.options.maxFailures;
    await this.store.set(FAIL_KEY, { count: locked ? 0 : count, lockedUntil: locked ? now + this.options.lockoutMs : 0 } satisfies Failures);
    return locked ? 'locked' : 'wrong';
  }
}
