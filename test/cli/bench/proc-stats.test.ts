import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Worker } from 'node:worker_threads';
import { procSyscalls, threadCpuMs } from '../../../cli/bench/proc-stats.ts';

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

// Spins measured in the thread's own CPU time (process.threadCpuUsage), not the clock: the same on a loaded machine.
const SPIN = `const t0 = process.threadCpuUsage(); const used = () => { const u = process.threadCpuUsage(t0); return (u.user + u.system) / 1000; };`;

test('threadCpuMs puts a busy worker thread under workers and the event loop under main', async () => {
  const before = threadCpuMs(process.pid);
  new Function(`${SPIN} while (used() < 200);`)();
  const mid = threadCpuMs('self');
  const w = new Worker(
    `${SPIN} while (used() < 400); require('node:worker_threads').parentPort.postMessage(1); setTimeout(() => {}, 60_000);`,
    {
      eval: true,
    },
  );
  await new Promise((resolve) => w.once('message', resolve));
  const after = threadCpuMs(process.pid);
  await w.terminate();
  const cpu = (t: { user: number; system: number }): number => t.user + t.system;
  assert.ok(cpu(mid.main) - cpu(before.main) >= 180, `main spun 200 ms of CPU (${cpu(mid.main) - cpu(before.main)} ms)`);
  assert.ok(
    cpu(after.workers) - cpu(mid.workers) >= 370,
    `the worker's 400 ms show under workers (${cpu(after.workers) - cpu(mid.workers)} ms)`,
  );
  assert.ok(cpu(after.main) - cpu(mid.main) < 200, `not under main (${cpu(after.main) - cpu(mid.main)} ms)`);
});

test('a process that is gone: zeros', () => {
  assert.equal(procSyscalls(2 ** 22 + 7), { reads: 0, writes: 0 });
});

test('threadCpuMs of a process that is gone: zeros', () => {
  assert.equal(threadCpuMs(2 ** 22 + 7).main, { user: 0, system: 0 });
});

test.run();
