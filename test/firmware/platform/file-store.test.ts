import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FileStore, StoreError } from '../../../firmware/platform/file-store.ts';

test('set/get/delete round-trip, no temp files left behind', async () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'kao-store-')), 's');
  const s = new FileStore(dir);
  assert.is(await s.get('boot'), undefined);
  await s.set('boot', { count: 3 });
  assert.equal(await s.get('boot'), { count: 3 });
  await s.set('boot', { count: 4 });
  assert.equal(await s.get('boot'), { count: 4 });
  assert.equal(readdirSync(dir), ['boot.json']);
  await s.delete('boot');
  assert.is(await s.get('boot'), undefined);
});

test('bad keys and corrupt files are typed errors', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kao-store-'));
  const s = new FileStore(dir);
  try {
    await s.set('../etc/passwd', 1);
    assert.unreachable();
  } catch (err) {
    assert.instance(err, StoreError);
  }
  writeFileSync(join(dir, 'x.json'), '{torn');
  try {
    await s.get('x');
    assert.unreachable();
  } catch (err) {
    assert.instance(err, StoreError);
    assert.match((err as Error).message, 'corrupt');
  }
});

test.run();
