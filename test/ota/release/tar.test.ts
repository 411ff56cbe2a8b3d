import { existsSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { packTarGz } from '../../../ota/release/pack.ts';
import { END_OF_ARCHIVE, extractTar, headerBlocks, TarError } from '../../../ota/release/tar.ts';

async function* chunks(buf: Buffer, size = 777): AsyncGenerator<Buffer> {
  for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size);
}

async function fails(p: Promise<unknown>): Promise<TarError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof TarError) return err;
    throw err;
  }
  throw new Error('expected TarError');
}

test('round trip: long names, modes, symlinks, empty files; GNU tar agrees', async () => {
  const w = mkdtempSync(join(tmpdir(), 'kao-tar-'));
  const long = `${'d'.repeat(60)}/${'e'.repeat(60)}/file-with-a-long-name.ts`;
  mkdirSync(join(w, 'src', 'd'.repeat(60), 'e'.repeat(60)), { recursive: true });
  writeFileSync(join(w, 'src', long), 'long');
  writeFileSync(join(w, 'src', 'run.sh'), '#!/bin/sh\n', { mode: 0o755 });
  writeFileSync(join(w, 'src', 'empty'), '');
  symlinkSync('run.sh', join(w, 'src', 'link'));
  const files = [long, 'run.sh', 'empty', 'link'].map((rel) => ({ rel, abs: join(w, 'src', rel) }));
  await packTarGz({ files, extra: [{ path: 'manifest.json', data: Buffer.from('{}') }] }, join(w, 'a.tar.gz'));
  const n = await extractTar(chunks(gunzipSync(await readFile(join(w, 'a.tar.gz')))), join(w, 'out'));
  assert.is(n, 5);
  assert.is(readFileSync(join(w, 'out', long), 'utf8'), 'long');
  assert.is(readlinkSync(join(w, 'out', 'link')), 'run.sh');
  const { statSync } = await import('node:fs');
  assert.is(statSync(join(w, 'out', 'run.sh')).mode & 0o111, 0o111);
  const { execFileSync } = await import('node:child_process');
  const listed = execFileSync('tar', ['-tzf', join(w, 'a.tar.gz')])
    .toString()
    .trim()
    .split('\n');
  assert.ok(listed.includes(long));
});

test('hostile archives are refused: .., absolute, escaping symlink, truncated, bad checksum', async () => {
  const w = mkdtempSync(join(tmpdir(), 'kao-tar-'));
  const one = (path: string, type: 'file' | 'symlink' = 'file', linkname?: string): Buffer =>
    Buffer.concat([
      headerBlocks({ path, type, mode: 0o644, size: type === 'file' ? 1 : 0, ...(linkname ? { linkname } : {}) }),
      type === 'file' ? Buffer.concat([Buffer.from('x'), Buffer.alloc(511)]) : Buffer.alloc(0),
      END_OF_ARCHIVE,
    ]);
  assert.match((await fails(extractTar(chunks(one('../evil')), join(w, 'a')))).message, /\.\./);
  assert.match((await fails(extractTar(chunks(one('/etc/evil')), join(w, 'b')))).message, /absolute/);
  assert.match((await fails(extractTar(chunks(one('l', 'symlink', '../../etc/passwd')), join(w, 'c')))).message, /leaves/);
  const ok = one('fine');
  assert.match((await fails(extractTar(chunks(ok.subarray(0, 700)), join(w, 'd')))).message, /truncated/);
  const bad = Buffer.from(ok);
  bad[10] = 0x41;
  assert.match((await fails(extractTar(chunks(bad), join(w, 'e')))).message, /checksum/);
  assert.match(
    (await fails(extractTar(chunks(Buffer.concat([one('a').subarray(0, 1024), one('b')])), join(w, 'f'), { maxEntries: 1 }))).message,
    /more than 1/,
  );
});

/** A tar of header-only entries (dirs, symlinks) and small files, written block by block. */
function archive(entries: readonly { path: string; type: 'file' | 'dir' | 'symlink'; linkname?: string; data?: string }[]): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    const data = Buffer.from(e.data ?? '');
    parts.push(
      headerBlocks({
        path: e.path,
        type: e.type,
        mode: e.type === 'dir' ? 0o755 : 0o644,
        size: e.type === 'file' ? data.length : 0,
        ...(e.linkname ? { linkname: e.linkname } : {}),
      }),
    );
    if (e.type === 'file') parts.push(data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  return Buffer.concat([...parts, END_OF_ARCHIVE]);
}

test('chained symlinks cannot carry a write out of the destination (issue #14 finding 3)', async () => {
  const w = mkdtempSync(join(tmpdir(), 'kao-tar-'));
  const dest = join(w, 'releases', '.partial-9.9.9');
  // a/b/up -> ..  (= a/, inside);  a/b/up/c/esc -> ../../..  (lexically a/b, physically above the root)
  const tar = archive([
    { path: 'a/b/', type: 'dir' },
    { path: 'a/c/', type: 'dir' },
    { path: 'a/b/up', type: 'symlink', linkname: '..' },
    { path: 'a/b/up/c/esc', type: 'symlink', linkname: '../../..' },
    { path: 'a/c/esc/pwned', type: 'file', data: 'escaped' },
  ]);
  const err = await fails(extractTar(chunks(tar), dest));
  assert.match(err.message, /symlink/);
  assert.not.ok(existsSync(join(w, 'releases', 'pwned')), 'nothing written above the destination');
  assert.not.ok(existsSync(join(w, 'pwned')));
});

test('no write through a symlink: a file, a directory or a link under a symlinked directory is refused', async () => {
  const w = mkdtempSync(join(tmpdir(), 'kao-tar-'));
  const inside = (extra: Parameters<typeof archive>[0]): Buffer =>
    archive([{ path: 'lib/', type: 'dir' }, { path: 'alias', type: 'symlink', linkname: 'lib' }, ...extra]);
  for (const [i, e] of (
    [
      { path: 'alias/file', type: 'file', data: 'x' },
      { path: 'alias/sub/', type: 'dir' },
      { path: 'alias/link', type: 'symlink', linkname: 'x' },
      { path: 'alias', type: 'file', data: 'replace the link' },
    ] as const
  ).entries()) {
    const err = await fails(extractTar(chunks(inside([e])), join(w, `d${i}`)));
    assert.match(err.message, /symlink|exists/, e.path);
  }
  // a symlink's target may climb only with leading "..", never through a name ("x/../.." hides a climb behind a later link)
  assert.match(
    (
      await fails(
        extractTar(
          chunks(
            archive([
              { path: 'a/b/', type: 'dir' },
              { path: 'a/b/l', type: 'symlink', linkname: 'up/../..' },
            ]),
          ),
          join(w, 'e'),
        ),
      )
    ).message,
    /symlink/,
  );
  // the release's own relative links still work
  const ok = archive([
    { path: 'node_modules/tool/bin/', type: 'dir' },
    { path: 'node_modules/tool/bin/cli.js', type: 'file', data: 'x' },
    { path: 'node_modules/.bin/', type: 'dir' },
    { path: 'node_modules/.bin/cli', type: 'symlink', linkname: '../tool/bin/cli.js' },
  ]);
  assert.is(await extractTar(chunks(ok), join(w, 'ok')), 4);
  assert.is(readFileSync(join(w, 'ok', 'node_modules', '.bin', 'cli'), 'utf8'), 'x');
});

test.run();
