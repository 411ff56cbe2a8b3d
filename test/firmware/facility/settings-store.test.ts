import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { InvalidSettingError, StoreSettings } from '../../../firmware/facility/settings-store.ts';
import { FileStore } from '../../../firmware/platform/file-store.ts';
import { tmp } from './link/helpers.ts';

test('staff password stored only as a salted scrypt hash; verify; names and consent items persist', async () => {
  const dir = tmp('kao-settings-');
  const s = new StoreSettings(new FileStore(dir));
  assert.is(await s.verifyStaffPassword('anything1'), false, 'no password set: staff mode unavailable');
  await s.setStaffPassword('さくら受付2026');
  const onDisk = readdirSync(dir).map((f) => readFileSync(join(dir, f), 'utf8')).join('\n');
  assert.not.match(onDisk, 'さくら受付2026');
  assert.ok(await s.verifyStaffPassword('さくら受付2026'));
  assert.not.ok(await s.verifyStaffPassword('さくら受付2025'));
  try {
    await s.setStaffPassword('short');
    assert.unreachable();
  } catch (err) {
    assert.instance(err, InvalidSettingError);
  }
  await s.setFacilityName('さくらクリニック');
  await s.setConsentItems(['surgery', 'medication', 'diagnoses']);
  const again = new StoreSettings(new FileStore(dir));
  await again.load();
  assert.is(again.facilityName(), 'さくらクリニック');
  assert.equal(await again.consentItems(), ['surgery', 'medication', 'diagnoses']);
});

test.run();
