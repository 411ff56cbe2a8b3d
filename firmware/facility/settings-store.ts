/**
 * Facility settings pushed by facility IT (commands) and read by the reader: the facility name,
 * kept in the Store. The staff password is not kept here: it is hashed and checked by
 * StaffPassword (firmware/visit/staff-password.ts), wired in by FacilitySettings. Consent items
 * are not a reader setting: the facility sends them with each visit's qualification answer.
 */
import type { Store } from '../ports/store.ts';
import type { SettingsHandler } from './link/commands.ts';

export class StoreSettings implements Pick<SettingsHandler, 'setFacilityName'> {
  #name: string | undefined;
  constructor(private readonly store: Store) {}

  /** Loads cached values (call once at start). */
  async load(): Promise<void> {
    this.#name = await this.store.get<string>('facility-name');
  }

  facilityName(): string | undefined {
    return this.#name;
  }

  async setFacilityName(name: string): Promise<void> {
    await this.store.set('facility-name', name);
    this.#name = name;
  }
}
