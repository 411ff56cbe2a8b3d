/**
 * Settings that facility IT changes by command over the facility link: the facility name shown
 * on screens, the consent items asked when the facility's answer has none, and the staff
 * password (hashed at once through StaffPassword; the string is not kept). Stored durably.
 */
import type { SettingsHandler } from '../facility/link/commands.ts';
import type { Store } from '../ports/store.ts';
import type { StaffPassword } from './staff-password.ts';

export class FacilitySettings implements SettingsHandler {
  constructor(private readonly store: Store, private readonly staff: StaffPassword) {}

  async setFacilityName(name: string): Promise<void> {
    await this.store.set('facility-name', name);
  }

  async setConsentItems(items: readonly string[]): Promise<void> {
    await this.store.set('consent-items', [...items]);
  }

  async setStaffPassword(password: string): Promise<void> {
    const bytes = new Uint8Array(Buffer.from(password, 'utf8'));
    try {
      await this.staff.set(bytes);
    } finally {
      bytes.fill(0);
    }
  }

  facilityName(): Promise<string | undefined> {
    return this.store.get<string>('facility-name');
  }
}
