/**
 * Facility settings: the name persists in the store; the staff password set by a
 * facility command goes through StaffPassword (the one hashing implementation), never into the
 * settings store.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { StoreSettings } from '../../../firmware/facility/settings-store.ts';
import { FileStore } from '../../../firmware/platform/file-store.ts';
import { systemClock } from '../../../firmware/platform/system-clock.ts';
import { hashStaffPassword } from '../../../firmware/core/staff-password-hash.ts';
import { FacilitySettings } from '../../../firmware/visit/facility-settings.ts';
import { StaffPassword, StaffPasswordPolicyError } from '../../../firmware/visit/staff-password.ts';
import { tmp } from './link/helpers.ts';

const opts = { cost: 1 << 12, maxFailures: 3, lockoutMs: 60_000 };
const pw = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'utf8'));

test('the facility name persists', async () => {
  const dir = tmp('kao-settings-');
  const s = new StoreSettings(new FileStore(dir));
  await s.setFacilityName('さくらクリニック');
  const again = new StoreSettings(new FileStore(dir));
  await again.load();
  assert.is(again.facilityName(), 'さくらクリニック');
});

test('the settings store has no password hashing of its own', () => {
  const s = new StoreSettings(new FileStore(tmp('kao-settings-')));
  assert.is((s as unknown as Record<string, unknown>)['setStaffPassword'], undefined);
  assert.is((s as unknown as Record<string, unknown>)['setStaffPasswordHash'], undefined);
  assert.is((s as unknown as Record<string, unknown>)['verifyStaffPassword'], undefined);
});

test('staff password by facility command → StaffPassword: only the hash arrives; checked; out-of-bounds hashes refused', async () => {
  const settingsDir = tmp('kao-settings-');
  const staffDir = tmp('kao-staff-');
  const staff = new StaffPassword(new FileStore(staffDir), systemClock, opts);
  const command = new FacilitySettings(new StoreSettings(new FileStore(settingsDir)), staff);
  assert.is(await staff.check(pw('13572468')), 'unset', 'no password set: staff mode unavailable');
  const hash = await hashStaffPassword(pw('2026112420'), 1 << 14); // what the facility sends
  await command.setStaffPasswordHash(hash);
  assert.is(await staff.check(pw('2026112420')), 'ok');
  assert.is(await staff.check(pw('2026112421')), 'wrong');
  const onDisk = [settingsDir, staffDir].flatMap((d) => readdirSync(d).map((f) => readFileSync(join(d, f), 'utf8'))).join('\n');
  assert.not.match(onDisk, '2026112420');
  assert.equal(
    readdirSync(settingsDir).filter((f) => f.includes('password')),
    [],
  );
  for (const weak of [
    { ...hash, N: 1 << 10 },
    { ...hash, N: 1 << 20 },
    { ...hash, r: 1 },
    { ...hash, salt: 'AAAA' },
  ]) {
    try {
      await command.setStaffPasswordHash(weak);
      assert.unreachable(`accepted ${JSON.stringify({ N: weak.N, r: weak.r })}`);
    } catch (err) {
      assert.instance(err, StaffPasswordPolicyError);
    }
  }
  assert.is(await staff.check(pw('2026112420')), 'ok', 'a refused hash changed nothing');
});

test.run();
