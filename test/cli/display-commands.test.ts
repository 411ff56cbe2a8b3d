/** `kaoreader screens` and `kaoreader bench display` as a user runs them. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const bin = new URL('../../bin/kaoreader.js', import.meta.url).pathname;
const kao = (...args: string[]): { code: number | null; out: string; err: string } => {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

test('screens: PNG per screen × language plus a contact sheet', async () => {
  const out = mkdtempSync(join(tmpdir(), 'kao-screens-'));
  const r = kao('screens', '--out', out, '--lang', 'ja,ne', '--size', '800x480', '--screen', 'idle,pin');
  assert.is(r.code, 0, r.err);
  const summary = JSON.parse(r.out) as { files: number; overflow: string[]; contactSheet: string };
  assert.is(summary.files, 4);
  assert.equal(summary.overflow, []);
  for (const lang of ['ja', 'ne']) assert.ok(existsSync(join(out, '800x480', lang, 'pin.png')));
  const meta = await sharp(readFileSync(summary.contactSheet)).metadata();
  assert.is(meta.width, 2 * (320 + 8));
  assert.is(meta.height, 2 * (192 + 8));
});

test('screens: bad options are one clear usage line, exit 2', () => {
  assert.is(kao('screens', '--out', '/tmp/x', '--size', 'big').code, 2);
  const r = kao('screens', '--out', '/tmp/x', '--lang', 'xx');
  assert.is(r.code, 2);
  assert.match(r.err, 'unknown language "xx"');
  assert.is(kao('screens').code, 2);
});

test('bench display --json prints per-screen timings, key press latency and RSS', () => {
  const r = kao('bench', 'display', '--json', '--iterations', '1', '--size', '800x480', '--format', 'RGB565');
  assert.is(r.code, 0, r.err);
  const j = JSON.parse(r.out) as {
    area: string;
    screens: number;
    allScreens: { p50: number };
    keyPressToPinPad: { p95: number };
    rssMb: number;
    perScreen: Record<string, unknown>;
  };
  assert.is(j.area, 'display');
  assert.is(Object.keys(j.perScreen).length, j.screens);
  assert.ok(j.screens >= 28);
  assert.ok(j.allScreens.p50 > 0 && j.keyPressToPinPad.p95 > 0 && j.rssMb > 0);
});

test.run();
