/** The SQLite store in its worker thread (how the service opens it): the same contract, the same pragmas, errors keep their codes. */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MIGRATIONS } from '../../../facility/store/migrations.ts';
import { StoreError } from '../../../facility/store/errors.ts';
import { openFacilityStore } from '../../../facility/store/open-store.ts';
import { BACKSTOP_PAGES, SqliteThreadStore } from '../../../facility/store/sqlite-thread-store.ts';
import { emptyBatch } from '../../../facility/store/store.ts';
import { tmp } from '../../firmware/facility/link/helpers.ts';
import { storeContract } from './store-contract.ts';

const dir = tmp('kao-sqlite-thread-');
storeContract('SQLite in a worker thread', {
  open: () => SqliteThreadStore.open(join(dir, 'facility.db')),
  close: () => {
    rmSync(dir, { recursive: true, force: true });
    return Promise.resolve();
  },
});

test('the service opens SQLite in its thread, with WAL and synchronous=FULL', async () => {
  const d = tmp('kao-sqlite-thread-');
  const s = await openFacilityStore({ kind: 'sqlite', dir: d });
  assert.ok(s instanceof SqliteThreadStore);
  assert.equal(await s.pragmas(), { journalMode: 'wal', synchronous: 2, autocheckpointPages: BACKSTOP_PAGES });
  assert.equal(
    await s.versions(),
    MIGRATIONS.map((m) => m.version),
  );
  await s.close();
  rmSync(d, { recursive: true, force: true });
});

test('a file that is not a database fails the open with StoreError; calls after close fail with StoreError', async () => {
  const d = tmp('kao-sqlite-thread-');
  writeFileSync(join(d, 'facility.db'), 'not a database, not at all'.repeat(100));
  const err = await SqliteThreadStore.open(join(d, 'facility.db')).then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(err instanceof StoreError, String(err));
  const s = await SqliteThreadStore.open(join(d, 'other.db'));
  await s.close();
  const late = await s.commit(emptyBatch()).then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(late instanceof StoreError, String(late));
  rmSync(d, { recursive: true, force: true });
});

test('a store left open (a failed command or test) does not keep the process alive once its calls are answered', async () => {
  const d = tmp('kao-sqlite-thread-');
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'support', 'left-open.ts'), d], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  // a bound for a hang, not a timing target: the child ends in about a second
  const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
  clearTimeout(killer);
  rmSync(d, { recursive: true, force: true });
  assert.match(out, /^versions \d/);
  assert.equal([code, signal], [0, null], 'the process ended by itself');
});

test.run();
