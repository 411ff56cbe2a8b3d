/**
 * Settings that facility IT changes by command over the facility link: the facility name and
 * consent items go to the settings store (firmware/facility/settings-store.ts); the staff
 * password goes to StaffPassword (slow hash, rate-limited checks: what the visit's staff mode
 * uses), its bytes wiped right after hashing.
 */
import type { SettingsHandler } from '../facility/link/commands.ts';
import type { StaffPassword } from './staff-password.ts';

export class FacilitySettings implements SettingsHandler {
  constructor(private readonly store: Pick<SettingsHandler, 'setFacilityName' | 'setConsentItems'>, private readonly staff: StaffPassword) {}

  setFacilityName(name: string): Promise<void> {
    return this.store.setFacilityName(name);
  }

  setConsentItems(items: readonly string[]): Promise<void> {
    return this.store.setConsentItems(items);
  }

  async setStaffPassword(password: string): Promise<void> {
    const bytes = new Uint8Array(Buffer.from(password, 'utf8'));
    try {
      await this.staff.set(bytes);
    } finally {
      bytes.fill(0);
    }
  }
}
