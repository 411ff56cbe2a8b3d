/**
 * Hostile release archives against the device's unpack (ota/agent/install.ts → extractTar), on
 * real files (finding 3 and path traversal in every archive the device unpacks): the chained
 * symlink archive of the issue, `..`, absolute paths, escaping links, writes through a link,
 * hard links, device files, a pax header that renames an entry, and manifests naming paths
 * outside the release. The archives are written here block by block (our own ustar writer is
 * not used, so the test does not share the extractor's reading of the format) and listed by GNU
 * tar as a cross-check. Nothing may appear outside the release directory.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import * as assert from 'uvu/assert';
import { UpdateRejectedError } from '../../ota/agent/errors.ts';
import { installRelease } from '../../ota/agent/install.ts';
import { tmp } from '../firmware/facility/link/helpers.ts';
import { attack } from './ledger.ts';

interface Entry {
  readonly name: string;
  readonly type: '0' | '1' | '2' | '3' | '5' | '6' | 'x';
  readonly data?: string;
  readonly link?: string;
}

/** One ustar header block, written from POSIX.1-1988 directly. */
function header(name: string, type: string, size: number, link = ''): Buffer {
  const h = Buffer.alloc(512);
  h.write(name, 0, 100, 'utf8');
  h.write('0000644\0', 100);
  h.write('0000000\0', 108);
  h.write('0000000\0', 116);
  h.write(`${size.toString(8).padStart(11, '0')}\0`, 124);
  h.write('00000000000\0', 136);
  h.write(type, 156);
  h.write(link, 157, 100, 'utf8');
  h.write('ustar\0', 257);
  h.write('00', 263);
  h.fill(0x20, 148, 156);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return h;
}

function tarGz(entries: readonly Entry[]): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    const data = Buffer.from(e.data ?? '');
    parts.push(header(e.name, e.type, e.type === '0' || e.type === 'x' ? data.length : 0, e.link));
    if (e.type === '0' || e.type === 'x') parts.push(data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  return gzipSync(Buffer.concat([...parts, Buffer.alloc(1024)]));
}

function pax(records: Record<string, string>): string {
  return Object.entries(records)
    .map(([k, v]) => {
      const body = ` ${k}=${v}\n`;
      let n = body.length + 2;
      while (String(n).length + body.length !== n) n = String(n).length + body.length;
      return `${n}${body}`;
    })
    .join('');
}

const manifest = (over: Record<string, unknown> = {}): Entry => ({
  name: 'manifest.json',
  type: '0',
  data: JSON.stringify({
    schema: 1,
    name: 'kaoreader',
    version: '9.9.9',
    arch: 'linux-x64',
    nodeAbi: '115',
    nodeVersion: 'v20',
    createdAt: '2026-01-01T00:00:00Z',
    entry: 'bin/kaoreader.js',
    files: {},
    unpackedBytes: 0,
    nativeAddons: [],
    modelInputs: [],
    ...over,
  }),
});

/** Unpacks `entries` as a release under a fresh base; asserts refusal and that nothing left the release tree. */
async function refused(entries: readonly Entry[], listing?: RegExp): Promise<string> {
  const base = tmp('kao-arch-');
  const releases = join(base, 'opt', 'releases');
  mkdirSync(releases, { recursive: true });
  const file = join(base, 'release.tar.gz');
  writeFileSync(file, tarGz(entries));
  if (listing) assert.match(execFileSync('tar', ['-tvzf', file]).toString(), listing, 'GNU tar reads the archive as intended');
  let err: unknown;
  try {
    await installRelease(file, releases, { version: '9.9.9', arch: 'linux-x64', nodeAbi: '115' });
  } catch (e) {
    err = e;
  }
  assert.instance(err, UpdateRejectedError, String(err));
  assert.equal(readdirSync(releases), [], 'no release directory (partial or complete) is left');
  assert.equal(readdirSync(join(base, 'opt')), ['releases'], 'nothing beside the releases');
  assert.equal(readdirSync(base).sort(), ['opt', 'release.tar.gz'], 'nothing above the releases');
  return (err as UpdateRejectedError).detail;
}

attack(3, 'the chained-symlink archive of the issue (a/b/up -> .., a/b/up/c/esc -> ../../.., a/c/esc/pwned)', async () => {
  return refused(
    [
      manifest(),
      { name: 'a/b/', type: '5' },
      { name: 'a/c/', type: '5' },
      { name: 'a/b/up', type: '2', link: '..' },
      { name: 'a/b/up/c/esc', type: '2', link: '../../..' },
      { name: 'a/c/esc/pwned', type: '0', data: 'x' },
    ],
    /a\/b\/up -> \.\./,
  );
});

attack(3, 'a file written through a symlink to a directory inside the release', async () => {
  return refused([
    manifest(),
    { name: 'lib/', type: '5' },
    { name: 'alias', type: '2', link: 'lib' },
    { name: 'alias/x.js', type: '0', data: 'x' },
  ]);
});

attack(3, 'a symlink whose target climbs after a name (up/../.., resolved through a later link)', async () => {
  return refused([
    manifest(),
    { name: 'a/b/', type: '5' },
    { name: 'a/b/l', type: '2', link: 'd/../..' },
    { name: 'a/b/d', type: '2', link: '../x' },
  ]);
});

attack('more', 'an entry named ../../escaped', async () => refused([manifest(), { name: '../../escaped', type: '0', data: 'x' }]));
attack('more', 'an entry with an absolute path', async () =>
  refused([manifest(), { name: '/tmp/kao-absolute-escape', type: '0', data: 'x' }]),
);
attack('more', 'a symlink to /etc', async () => refused([manifest(), { name: 'etc', type: '2', link: '/etc' }]));
attack('more', 'a symlink to ../../..', async () => refused([manifest(), { name: 'up', type: '2', link: '../../..' }]));
attack('more', 'a hard link to /etc/passwd', async () => refused([manifest(), { name: 'passwd', type: '1', link: '/etc/passwd' }]));
attack('more', 'a character device and a FIFO', async () => {
  await refused([manifest(), { name: 'null', type: '3' }]);
  return refused([manifest(), { name: 'fifo', type: '6' }]);
});
attack('more', 'a pax header renaming an innocent entry to ../escaped', async () => {
  return refused([
    manifest(),
    { name: 'PaxHeader', type: 'x', data: pax({ path: '../escaped' }) },
    { name: 'innocent', type: '0', data: 'x' },
  ]);
});
attack('more', 'a manifest naming files, the entry point and model inputs outside the release', async () => {
  await refused([manifest({ files: { '../../etc/shadow': { size: 1, sha256: '0'.repeat(64) } } })]);
  await refused([manifest({ entry: '../../../bin/sh' })]);
  return refused([manifest({ modelInputs: ['/etc/passwd'] })]);
});
