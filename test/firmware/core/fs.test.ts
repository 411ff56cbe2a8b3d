/** core/fs: exists() tells absent from unreadable; writeFileAtomic replaces whole files, never leaves temporaries. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TempFileTakenError } from '../../../firmware/core/errors.ts';
import { createExclusive, exists, writeFileAtomic } from '../../../firmware/core/fs.ts';

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

// Root (the installer unit) writes its answer into the daemon's folder: the daemon must not be
// able to plant a symlink at the temporary's name and have root write through it.
test('writeFileAtomic(): symlinks planted at the names a predictable scheme would use are never written through', () =>
  withDir(async (dir) => {
    const victim = join(dir, 'victim');
    await writeFile(victim, 'root-owned');
    // every "<name>.<pid>.<n>.tmp" the next writes of this process could pick
    for (let n = 0; n < 64; n++) await symlink(victim, join(dir, `.response.json.${process.pid}.${n}.tmp`));
    for (let n = 0; n < 4; n++) await writeFileAtomic(join(dir, 'response.json'), `answer ${n}`);
    assert.is(await readFile(victim, 'utf8'), 'root-owned');
    assert.is(await readFile(join(dir, 'response.json'), 'utf8'), 'answer 3');
  }));

test('createExclusive(): a planted symlink or file at the name is a TempFileTakenError and is not followed', () =>
  withDir(async (dir) => {
    const victim = join(dir, 'victim');
    await writeFile(victim, 'root-owned');
    await symlink(victim, join(dir, 'link.tmp'));
    await symlink(join(dir, 'absent'), join(dir, 'dangling.tmp'));
    await writeFile(join(dir, 'file.tmp'), 'x');
    for (const name of ['link.tmp', 'dangling.tmp', 'file.tmp']) {
      const err = await createExclusive(join(dir, name), 0o600).then(
        async (fd) => {
          await fd.close();
          return undefined;
        },
        (e: unknown) => e,
      );
      assert.instance(err, TempFileTakenError, name);
    }
    assert.is(await readFile(victim, 'utf8'), 'root-owned');
    assert.is(await exists(join(dir, 'absent')), false, 'a dangling link is not created through');
  }));

test.run();
