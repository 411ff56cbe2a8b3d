/**
 * Facility settings pushed by facility IT (commands) and read by the visit: facility name and
 * consent items, kept in the Store. The staff password is not kept here: it is hashed and
 * checked by StaffPassword (firmware/visit/staff-password.ts), wired in by FacilitySettings.
 */
import { KaoreaderError } from '../core/errors.ts';
import type { Store } from '../ports/store.ts';
import type { SettingsHandler } from './link/commands.ts';

export class InvalidSettingError extends KaoreaderError {
  readonly code = 'INVALID_SETTING';
}

const DEFAULT_ITEMS = ['surgery', 'treatment', 'medication', 'checkups'] as const;

export class StoreSettings implements Pick<SettingsHandler, 'setFacilityName' | 'setConsentItems'> {
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
}
