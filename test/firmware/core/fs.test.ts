/** core/fs: exists() tells absent from unreadable; writeFileAtomic replaces whole files, never leaves temporaries. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exists, writeFileAtomic } from '../../../firmware/core/fs.ts';

const withDir = async (body: (dir: string) => Promise<void>): Promise<void> => {
  const dir = await mkdtemp(join(tmpdir(), 'kao-fs-'));
  try {
    await body(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
};

test('exists(): true for a file, false for a missing one (ENOENT)', () =>
  withDir(async (dir) => {
    await writeFile(join(dir, 'a'), 'x');
    assert.is(await exists(join(dir, 'a')), true);
    assert.is(await exists(join(dir, 'missing')), false);
  }));

test('exists(): a real error (a file where a directory is expected) is thrown, not read as "absent"', () =>
  withDir(async (dir) => {
    await writeFile(join(dir, 'file'), 'x');
    const err = await exists(join(dir, 'file', 'below')).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.is((err as NodeJS.ErrnoException | undefined)?.code, 'ENOTDIR');
  }));

test('writeFileAtomic(): replaces the content, applies the mode to a new file, leaves no temporary', () =>
  withDir(async (dir) => {
    const p = join(dir, 'state.json');
    await writeFileAtomic(p, 'old');
    await writeFileAtomic(p, 'new');
    assert.is(await readFile(p, 'utf8'), 'new');
    assert.is((await stat(p)).mode & 0o777, 0o600);
    await writeFileAtomic(join(dir, 'public.pem'), 'x', 0o644);
    assert.is((await stat(join(dir, 'public.pem'))).mode & 0o777, 0o644);
    assert.equal((await readdir(dir)).sort(), ['public.pem', 'state.json']);
  }));

test('writeFileAtomic(): concurrent writers of one file each use their own temporary', () =>
  withDir(async (dir) => {
    const p = join(dir, 'x');
    await Promise.all(Array.from({ length: 8 }, (_, i) => writeFileAtomic(p, `v${i}`)));
    assert.match(await readFile(p, 'utf8'), /^v[0-7]$/);
    assert.equal(await readdir(dir), ['x']);
  }));

test.run();
