/** The release tooling as a manufacturer runs it: init, sign, rotate, timestamp, publish, then a device verifies. */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { UsageError } from '../../../cli/args.ts';
import { releaseCommand } from '../../../cli/commands/release/index.ts';
import { createLogger, MemorySink } from '../../../firmware/core/logger.ts';
import { refreshTargets } from '../../../ota/agent/tuf-client.ts';
import { makeRelease } from '../../ota/support/fixture.ts';
import { serveRepository } from '../../ota/support/http-repo.ts';

const bin = new URL('../../../bin/kaoreader.js', import.meta.url).pathname;
const spawnKao = (...args: string[]): { code: number | null; out: string; err: string } => {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

/** Runs `kaoreader release …` in this process (the same Command objects main.ts dispatches to). */
async function kao(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const sink = (f: (s: string) => void) =>
    ({
      write: (c: string | Uint8Array) => {
        f(String(c));
        return true;
      },
    }) as unknown as NodeJS.WritableStream;
  const ctx = {
    stdout: sink((s) => {
      out += s;
    }),
    stderr: sink((s) => {
      err += s;
    }),
    log: createLogger({ sink: new MemorySink(), level: 'info' }),
    signal: new AbortController().signal,
  };
  try {
    return { code: await releaseCommand.run(args.slice(1), ctx), out, err };
  } catch (e) {
    if (e instanceof UsageError) return { code: 2, out, err: e.message };
    throw e;
  }
}

test('release init/sign/rotate/timestamp/publish produce a repository a device accepts', async () => {
  const w = mkdtempSync(join(tmpdir(), 'kao-release-cli-'));
  const rel = await makeRelease(w, '2.0.0');
  const repo = join(w, 'repo');
  const keys = join(w, 'keys');
  assert.is((await kao('release', 'init', '--repo', repo, '--keys', keys, '--root-keys', '2', '--root-threshold', '2')).code, 0);
  const signed = await kao('release', 'sign', '--repo', repo, '--keys', keys, rel.file);
  assert.is(signed.code, 0, signed.err);
  const added = JSON.parse(signed.out) as Record<string, { custom: { kaoreader: { version: string; arch: string; nodeAbi: string } } }>;
  assert.equal(added['kaoreader-2.0.0-linux-x64.tar.gz']?.custom.kaoreader.version, '2.0.0');
  assert.match((await kao('release', 'rotate', '--repo', repo, '--keys', keys, '--role', 'targets')).out, /root version 2/);
  assert.match((await kao('release', 'timestamp', '--repo', repo, '--keys', keys)).out, /timestamp version 4/);
  assert.is((await kao('release', 'publish', '--repo', repo, '--to', join(w, 'www'))).code, 0);
  assert.is((await kao('release', 'rotate', '--repo', repo, '--keys', keys, '--role', 'nobody')).code, 2);
  const device = join(w, 'device');
  mkdirSync(device);
  cpSync(join(repo, 'metadata', '1.root.json'), join(device, 'root.json'));
  const srv = await serveRepository(join(w, 'www'));
  try {
    const offered = await refreshTargets({ metadataDir: device, repoUrl: srv.url });
    assert.equal(
      offered.map((o) => o.path),
      ['kaoreader-2.0.0-linux-x64.tar.gz'],
    );
  } finally {
    await srv.close();
  }
});

test('release build refuses an unknown arch with a usage error (through bin/kaoreader.js)', () => {
  const r = spawnKao('release', 'build', '--arch', 'linux-mips');
  assert.is(r.code, 2);
  assert.match(r.err, /--arch must be one of linux-arm64, linux-x64/);
});

test.run();
