/**
 * Reads one uvu child's output into counts. A file without a summary, or one that ran no test,
 * is one failure; a skipped test is a failure (a test that cannot run must say so, never pass by staying out);
 * a shortfall that uvu gave no reason for gets a note saying so.
 */
export interface FileSummary {
  readonly passed: number;
  readonly failed: number;
  readonly notes: string;
}

export function summarize(name: string, text: string, exitCode: number | null): FileSummary {
  const total = /Total:\s+(\d+)/.exec(text);
  const ok = /Passed:\s+(\d+)/.exec(text);
  if (!total || !ok) return { passed: 0, failed: 1, notes: '' };
  if (Number(total[1]) === 0)
    return { passed: 0, failed: 1, notes: `\n[runner] ${name}: no test ran (a test file that registers nothing passes nothing)\n` };
  const skipped = Number(/Skipped:\s+(\d+)/.exec(text)?.[1] ?? 0);
  const passed = Number(ok[1]);
  let failed = Number(total[1]) - passed + skipped;
  if (exitCode !== 0 && failed === 0) failed = 1; // crashed after its summary
  let notes = '';
  if (skipped > 0) notes += `\n[runner] ${name}: ${skipped} test(s) skipped; a test that cannot run must fail, not skip\n`;
  if (passed < Number(total[1]) && !/FAIL|hook threw/.test(text))
    notes += `\n[runner] ${name}: ${Number(total[1]) - passed} test(s) did not pass and uvu printed no reason\n`;
  return { passed, failed, notes };
}
