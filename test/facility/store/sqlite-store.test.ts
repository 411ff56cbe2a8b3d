/** The SQLite facility store: the store contract on a temporary file, its pragmas and migrations. */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MIGRATIONS } from '../../../facility/store/migrations.ts';
import { SqliteStore } from '../../../facility/store/sqlite-store.ts';
import { tmp } from '../../firmware/facility/link/helpers.ts';
import { storeContract } from './store-contract.ts';

const dir = tmp('kao-sqlite-');
storeContract('SQLite', {
  open: () => SqliteStore.open(join(dir, 'facility.db')),
  close: () => {
    rmSync(dir, { recursive: true, force: true });
    return Promise.resolve();
  },
});

test('WAL, synchronous=FULL, migrations applied once and recorded', async () => {
  const d = tmp('kao-sqlite-');
  const s = await SqliteStore.open(join(d, 'facility.db'));
  assert.equal(s.pragmas(), { journalMode: 'wal', synchronous: 2, autocheckpointPages: 1000 });
  assert.equal(
    s.versions(),
    MIGRATIONS.map((m) => m.version),
  );
  await s.close();
  const again = await SqliteStore.open(join(d, 'facility.db'));
  assert.equal(
    again.versions(),
    MIGRATIONS.map((m) => m.version),
    'reopening applies nothing twice',
  );
  await again.close();
  rmSync(d, { recursive: true, force: true });
});

test.run();
