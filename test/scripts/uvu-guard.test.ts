/**
 * The test runner never lets a failure go without a reason: a throwing `before` hook prints its
 * error (uvu alone prints "(0 / N)" and nothing else), and a skipped test counts as a failure.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { summarize } from '../../scripts/test-summary.ts';

const root = join(import.meta.dirname, '..', '..');
const fixtures = join(import.meta.dirname, 'fixtures');

function runFile(file: string): { status: number | null; text: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--import', join(root, 'scripts', 'uvu-guard', 'preload.mjs'), file], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
    timeout: 60_000,
  });
  return { status: r.status, text: `${r.stdout}${r.stderr}` };
}

test('a before hook that throws says why (the message and where), and its tests do not pass', () => {
  const { text } = runFile(join(fixtures, 'broken-before.ts'));
  assert.match(text, 'before of suite "harness" hook threw');
  assert.match(text, 'the harness could not start: no pcscd');
  assert.match(text, /broken-before\.ts:\d+/);
  assert.match(text, /Passed:\s+0/);
});

test('a skipped test is counted as a failure, with a note; a clean file passes', () => {
  const { text, status } = runFile(join(fixtures, 'skips.ts'));
  assert.is(status, 0, 'uvu itself calls a skip a success');
  const s = summarize('skips.ts', text, status);
  assert.equal([s.passed, s.failed], [1, 1]);
  assert.match(s.notes, '1 test(s) skipped');
  assert.equal(summarize('ok.ts', 'Total:     2\n  Passed:    2\n  Skipped:   0\n', 0), { passed: 2, failed: 0, notes: '' });
});

test('a shortfall without a reason gets a note; no summary, or no test at all, is one failure', () => {
  assert.match(summarize('x.ts', ' (0 / 2)\n  Total:     2\n  Passed:    0\n  Skipped:   0\n', 0).notes, 'uvu printed no reason');
  assert.equal(summarize('x.ts', 'Segmentation fault', 139), { passed: 0, failed: 1, notes: '' });
  assert.match(summarize('x.ts', '  Total:     0\n  Passed:    0\n  Skipped:   0\n', 0).notes, 'no test ran');
});

test.run();
