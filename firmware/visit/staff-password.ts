/**
 * The facility's staff password for 目視確認 mode: one store (`<stateDir>/store`, opened only
 * through `openStaffPassword`, by the daemon and by the `kaoreader staff-password` CLI alike),
 * one policy and hash format (firmware/core/staff-password-hash.ts: 8–16 digits, scrypt).
 * Checked in constant time and rate limited: after `maxFailures` wrong tries the pad is locked
 * for `lockoutMs`, persisted so a restart does not reset it. Set locally (`set`, policy checked
 * here) or by a signed facility command that carries only the hash (`setHash`). There is no
 * default password: until one is set, staff mode is unavailable.
 */
import { timingSafeEqual } from 'node:crypto';
import { join } from 'node:path';
import { checkReceivedHash, hashStaffPassword, scryptKey, type StaffPasswordHash } from '../core/staff-password-hash.ts';
import type { Clock } from '../ports/clock.ts';
import type { OpenStore, Store } from '../ports/store.ts';
import type { StaffAuth } from './deps.ts';

export { StaffPasswordPolicyError } from '../core/staff-password-hash.ts';

interface Failures {
  readonly count: number;
  readonly lockedUntil: number;
}

export interface StaffPasswordOptions {
  /** scrypt cost N for passwords set on this reader (2^15 in production ≈ 0.1 s here; smaller only in tests). */
  readonly cost: number;
  readonly maxFailures: number;
  readonly lockoutMs: number;
}

export const STAFF_PASSWORD_COST = 1 << 15;
export const defaultStaffPasswordOptions: StaffPasswordOptions = { cost: STAFF_PASSWORD_COST, maxFailures: 5, lockoutMs: 5 * 60_000 };

const HASH_KEY = 'staff-password';
const FAIL_KEY = 'staff-password-failures';

/**
 * The staff password of the reader whose state lives in `stateDir` (its store in `<stateDir>/store`,
 * opened with `openStore`): the only way it is opened.
 */
export function openStaffPassword(
  stateDir: string,
  openStore: OpenStore,
  clock: Clock,
  options: StaffPasswordOptions = defaultStaffPasswordOptions,
): StaffPassword {
  return new StaffPassword(openStore(join(stateDir, 'store')), clock, options);
}

export class StaffPassword implements StaffAuth {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly options: StaffPasswordOptions = defaultStaffPasswordOptions,
  ) {}

  /** Sets or changes the password (facility IT at the reader). The bytes are the caller's to wipe. */
  async set(password: Uint8Array): Promise<void> {
    await this.#store(await hashStaffPassword(password, this.options.cost));
  }

  /** Sets or changes the password from a hash made elsewhere (a signed facility command). */
  async setHash(hash: StaffPasswordHash): Promise<void> {
    checkReceivedHash(hash);
    await this.#store({ alg: 'scrypt', N: hash.N, r: hash.r, p: hash.p, salt: hash.salt, hash: hash.hash });
  }

  async #store(hash: StaffPasswordHash): Promise<void> {
    await this.store.set(HASH_KEY, hash);
    await this.store.set(FAIL_KEY, { count: 0, lockedUntil: 0 } satisfies Failures);
  }

  async isSet(): Promise<boolean> {
    return (await this.store.get<StaffPasswordHash>(HASH_KEY)) !== undefined;
  }

  async check(password: Uint8Array): Promise<'ok' | 'wrong' | 'locked' | 'unset'> {
    const stored = await this.store.get<StaffPasswordHash>(HASH_KEY);
    if (!stored) return 'unset';
    const now = this.clock.now();
    const failures = (await this.store.get<Failures>(FAIL_KEY)) ?? { count: 0, lockedUntil: 0 };
    if (now < failures.lockedUntil) return 'locked';
    const expected = Buffer.from(stored.hash, 'base64');
    const actual = await scryptKey(password, Buffer.from(stored.salt, 'base64'), stored.N, stored.r, stored.p);
    const ok = actual.length === expected.length && timingSafeEqual(actual, expected);
    actual.fill(0);
    if (ok) {
      if (failures.count > 0) await this.store.set(FAIL_KEY, { count: 0, lockedUntil: 0 } satisfies Failures);
      return 'ok';
    }
    const count = failures.count + 1;
    const locked = count >= this.options.maxFailures;
    await this.store.set(FAIL_KEY, {
      count: locked ? 0 : count,
      lockedUntil: locked ? now + this.options.lockoutMs : 0,
    } satisfies Failures);
    return locked ? 'locked' : 'wrong';
  }
}
