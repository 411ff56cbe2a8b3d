import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { procSyscalls } from '../../../cli/bench/proc-stats.ts';

test('procSyscalls counts the read and write system calls a process makes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kao-proc-io-'));
  try {
    const fd = openSync(join(dir, 'f'), 'w+');
    const before = procSyscalls(process.pid);
    for (let i = 0; i < 50; i++) writeSync(fd, 'x', i);
    for (let i = 0; i < 30; i++) readSync(fd, Buffer.alloc(1), 0, 1, i);
    const after = procSyscalls('self');
    closeSync(fd);
    assert.ok(after.writes - before.writes >= 50, `${after.writes - before.writes} writes`);
    assert.ok(after.reads - before.reads >= 30, `${after.reads - before.reads} reads`);
    assert.ok(after.writes - before.writes < 50 + 20, 'not counting reads as writes');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a process that is gone: zeros', () => {
  assert.equal(procSyscalls(2 ** 22 + 7), { reads: 0, writes: 0 });
});

test.run();
