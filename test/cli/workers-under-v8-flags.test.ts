/**
 * A reader or a facility service run with V8 flags (`node --max-old-space-size=… bin/kaoreader.js`,
 * as a Pi's unit file may set) still starts its worker threads: a worker given the parent's
 * execArgv refuses per-process flags (ERR_WORKER_INVALID_EXEC_ARGV), so they inherit it instead.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { tmp } from '../firmware/facility/link/helpers.ts';

test('the face worker and the SQLite thread start under --max-old-space-size and --stack-trace-limit', async () => {
  const d = tmp('kao-v8-flags-');
  const script = join(import.meta.dirname, 'support', 'workers-under-v8-flags.ts');
  const child = spawn(process.execPath, ['--max-old-space-size=512', '--stack-trace-limit=20', '--import', 'tsx', script, d], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr.on('data', (b: Buffer) => (out += b.toString()));
  const killer = setTimeout(() => child.kill('SIGKILL'), 120_000); // a bound for a hang only
  const [code] = (await once(child, 'exit')) as [number | null];
  clearTimeout(killer);
  rmSync(d, { recursive: true, force: true });
  assert.match(out, /face worker started\n/, out);
  assert.match(out, /store thread started at version \d+\n/, out);
  assert.is(code, 0, out);
});

test.run();
