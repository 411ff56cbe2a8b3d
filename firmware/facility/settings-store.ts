/**
 * Facility settings pushed by facility IT (commands) and read by the visit: facility name,
 * consent items, and the staff password, kept in the Store. The password is stored only as a
 * salted scrypt hash; `verifyStaffPassword` compares in constant time. The plain password is
 * never stored, logged or returned.
 */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { KaoreaderError } from '../core/errors.ts';
import type { Store } from '../ports/store.ts';
import type { SettingsHandler } from './link/commands.ts';

interface PasswordHash { readonly alg: 'scrypt'; readonly n: number; readonly salt: string; readonly hash: string }

export class InvalidSettingError extends KaoreaderError {
  readonly code = 'INVALID_SETTING';
}

const DEFAULT_ITEMS = ['surgery', 'treatment', 'medication', 'checkups'] as const;
const N = 16384;

function derive(password: string, salt: Buffer, n: number): Promise<Buffer> {
  return new Promise((resolve, reject) => scrypt(password.normalize('NFKC'), salt, 32, { N: n, r: 8, p: 1 }, (err, key) => (err ? reject(err) : resolve(key))));
}

export class StoreSettings implements SettingsHandler {
  #name: string | undefined;
  constructor(private readonly store: Store) {}

  /** Loads cached values (call once at start). */
  async load(): Promise<void> {
    this.#name = await this.store.get<string>('facility-name');
  }

  facilityName(): string | undefined {
    return this.#name;
  }

  async consentItems(): Promise<readonly string[]> {
    return (await this.store.get<string[]>('consent-items')) ?? [...DEFAULT_ITEMS];
  }

  async setFacilityName(name: string): Promise<void> {
    await this.store.set('facility-name', name);
    this.#name = name;
  }

  async setConsentItems(items: readonly string[]): Promise<void> {
    if (items.length === 0) throw new InvalidSettingError('at least one consent item is needed');
    await this.store.set('consent-items', [...items]);
  }

  async setStaffPassword(password: string): Promise<void> {
    if (password.length < 8) throw new InvalidSettingError('the staff password needs at least 8 characters');
    const salt = randomBytes(16);
    const key = await derive(password, salt, N);
    const record: PasswordHash = { alg: 'scrypt', n: N, salt: salt.toString('base64'), hash: key.toString('base64') };
    key.fill(0);
    await this.store.set('staff-password', record);
  }

  /** False when no password was set yet (staff mode is then unavailable). */
  async verifyStaffPassword(password: string): Promise<boolean> {
    const rec = await this.store.get<PasswordHash>('staff-password');
    if (!rec || rec.alg !== 'scrypt') return false;
    const key = await derive(password, Buffer.from(rec.salt, 'base64'), rec.n);
    const want = Buffer.from(rec.hash, 'base64');
    const ok = key.length === want.length && timingSafeEqual(key, want);
    key.fill(0);
    return ok;
  }
}
