import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { withWorkDir } from '../../../cli/bench/work-dir.ts';

/** What a bench leaves in its folder: a file and a subfolder (a store, a broker's files). */
function fill(dir: string): void {
  mkdirSync(join(dir, 'broker'));
  writeFileSync(join(dir, 'broker', 'mosquitto.db'), 'x');
  writeFileSync(join(dir, 'facility.sqlite'), 'x');
}

test('a fresh folder under the temporary folder, removed with its contents when the bench ends', async () => {
  let seen = '';
  const answer = await withWorkDir('kao-work-dir-test-', false, async (dir) => {
    seen = dir;
    assert.ok(dir.startsWith(join(tmpdir(), 'kao-work-dir-test-')));
    assert.ok(existsSync(dir));
    fill(dir);
    return 42;
  });
  assert.is(answer, 42);
  assert.not.ok(existsSync(seen), 'removed');
});

test('removed when the bench fails too, and the failure reaches the caller', async () => {
  let seen = '';
  const failed = await withWorkDir('kao-work-dir-test-', false, async (dir) => {
    seen = dir;
    fill(dir);
    throw new Error('broker did not start');
  }).catch((e: unknown) => e);
  assert.instance(failed, Error);
  assert.is((failed as Error).message, 'broker did not start');
  assert.not.ok(existsSync(seen), 'removed');
});

test('--keep leaves the folder and its contents', async () => {
  let seen = '';
  await withWorkDir('kao-work-dir-test-', true, async (dir) => {
    seen = dir;
    fill(dir);
  });
  try {
    assert.ok(existsSync(join(seen, 'broker', 'mosquitto.db')));
  } finally {
    rmSync(seen, { recursive: true, force: true });
  }
});

test.run();
