/**
 * The installer's one read of a download (take-download.ts): what it returns is a private copy,
 * so the daemon replacing its file after the copy changes nothing; a FIFO, a symlink and a file
 * longer than the signed length are refused with a typed reason, and nothing stays staged.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { UpdateRejectedError } from '../../../ota/agent/errors.ts';
import { takeDownload } from '../../../ota/agent/take-download.ts';

function dirs(): { downloads: string; staging: string } {
  const d = mkdtempSync(join(tmpdir(), 'kao-take-'));
  return { downloads: d, staging: join(d, 'staging') };
}

async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    if (err instanceof UpdateRejectedError) return err.reason;
    throw err;
  }
  throw new Error('not refused');
}

const stagedNames = (staging: string): string[] => (existsSync(staging) ? readdirSync(staging) : []);

test('the copy is private: replacing the download afterwards does not change it', async () => {
  const { downloads, staging } = dirs();
  const genuine = Buffer.from('genuine release bytes');
  writeFileSync(join(downloads, 'r.tar.gz'), genuine);
  const staged = await takeDownload(downloads, 'r.tar.gz', staging, genuine.length);
  writeFileSync(join(downloads, 'forged'), 'forged release bytes!');
  renameSync(join(downloads, 'forged'), join(downloads, 'r.tar.gz'));
  assert.ok(staged.startsWith(staging + '/'), staged);
  assert.equal(readFileSync(staged), genuine);
  assert.is(statSync(staged).mode & 0o777, 0o600);
  assert.is(statSync(staging).mode & 0o777, 0o700);
});

test('a FIFO is refused without waiting for a writer', async () => {
  const { downloads, staging } = dirs();
  execFileSync('mkfifo', [join(downloads, 'f.tar.gz')]);
  assert.is(await refusal(takeDownload(downloads, 'f.tar.gz', staging, 100)), 'download-unsafe');
  assert.equal(stagedNames(staging), []);
});

test('a symlink is refused, not followed', async () => {
  const { downloads, staging } = dirs();
  writeFileSync(join(downloads, 'real'), 'bytes');
  symlinkSync(join(downloads, 'real'), join(downloads, 'l.tar.gz'));
  assert.is(await refusal(takeDownload(downloads, 'l.tar.gz', staging, 5)), 'download-unsafe');
  assert.equal(stagedNames(staging), []);
});

test('more bytes than the signed length are refused and nothing stays staged', async () => {
  const { downloads, staging } = dirs();
  writeFileSync(join(downloads, 'big.tar.gz'), Buffer.alloc(64));
  assert.is(await refusal(takeDownload(downloads, 'big.tar.gz', staging, 63)), 'target-oversized');
  assert.equal(stagedNames(staging), []);
});

test.run();
