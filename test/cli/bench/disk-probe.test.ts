import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startDiskProbe } from '../../../cli/bench/disk-probe.ts';

test('times flushes while running, then leaves no file behind', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kao-disk-probe-'));
  try {
    const probe = startDiskProbe(dir, { everyMs: 20, bytes: 4096 });
    await new Promise((r) => setTimeout(r, 300));
    assert.ok(existsSync(join(dir, 'disk-probe.bin')));
    const r = await probe.stop();
    assert.ok(r.samples >= 1, 'at least one probe in 300 ms');
    assert.ok(r.fdatasyncMs.p50 >= 0 && r.fdatasyncMs.p50 <= r.fdatasyncMs.p95 && r.fdatasyncMs.p95 <= r.fdatasyncMs.max);
    assert.ok(r.over50ms <= r.samples);
    assert.equal(readdirSync(dir), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
