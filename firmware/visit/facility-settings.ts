/**
 * Settings that facility IT changes by command over the facility link: the facility name goes
 * to the settings store (firmware/facility/settings-store.ts); the staff
 * password's slow hash (the facility hashed it; the password never reaches the reader) goes to
 * StaffPassword, the one store the visit's staff mode checks.
 */
import type { StaffPasswordHash } from '../core/staff-password-hash.ts';
import type { SettingsHandler } from '../facility/link/commands.ts';
import type { StaffPassword } from './staff-password.ts';

export class FacilitySettings implements SettingsHandler {
  constructor(
    private readonly store: Pick<SettingsHandler, 'setFacilityName'>,
    private readonly staff: StaffPassword,
  ) {}

  setFacilityName(name: string): Promise<void> {
    return this.store.setFacilityName(name);
  }

  setStaffPasswordHash(hash: StaffPasswordHash): Promise<void> {
    return this.staff.setHash(hash);
  }
}
