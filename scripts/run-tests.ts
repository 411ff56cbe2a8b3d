/**
 * Test orchestrator. Runs the static checks (tsc --noEmit on the code and on the console page's
 * scripts, eslint, prettier --check) as counted tests,
 * then every `test/**\/*.test.ts` file in its own child process (two at a time) and every
 * `*.itest.ts` file (integration: real pcscd, mosquitto, ffmpeg) one at a time after them. An
 * itest that asks for its own lane in its first lines (`test-lane: own`: the arm64 release under
 * emulation, mostly one long emulation process with private daemons) starts first and runs beside
 * the others.
 * Each child is uvu (through uvu-guard/, so a failing before/after hook prints its error); its
 * summary is parsed and summed. A child that dies without a summary counts as one failure; a
 * skipped test (`test.skip`, `test.only` leaving others out) counts as a failure too: nothing
 * skips silently. The attack suite's "N attacks tried, N refused" line is echoed after its file.
 * Prints "N passed, N failed" as the last line; exits non-zero on failure.
 *
 * Usage: scripts/test.sh [--no-static] [filter…]   (filters match test file paths)
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { summarize } from './test-summary.ts';

const root = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);
const runStatic = !args.includes('--no-static');
const filters = args.filter((a) => !a.startsWith('--'));
const FILE_TIMEOUT_MS = 5 * 60_000;
const TSX_CACHE = join(tmpdir(), `tsx-${process.geteuid?.() ?? 0}`);

interface Outcome {
  readonly name: string;
  readonly passed: number;
  readonly failed: number;
  readonly ms: number;
}

function listTests(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const p = join(dir, entry);
    if (statSync(p).isDirectory()) out.push(...listTests(p));
    else if (/\.(i?test)\.ts$/.test(entry)) out.push(p);
  }
  return out.sort();
}

const head = (file: string): string => readFileSync(join(root, file), 'utf8').slice(0, 2000);

/** A file may ask for a longer bound in its first lines: `// test-timeout: 900 s` (the arm64 release under emulation). */
function timeoutOf(file: string): number {
  const m = /test-timeout: (\d{1,4}) s\b/.exec(head(file));
  return m ? Number(m[1]) * 1000 : FILE_TIMEOUT_MS;
}

/** An itest that runs in its own lane, beside the others (`test-lane: own` in its first lines). */
const ownLane = (file: string): boolean => /test-lane: own\b/.test(head(file));

function run(
  cmd: string,
  argv: readonly string[],
  name: string,
  parse: boolean,
  timeoutMs = FILE_TIMEOUT_MS,
  env: Readonly<Record<string, string>> = {},
): Promise<Outcome> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(cmd, argv, {
      cwd: root,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      out += d.toString();
    });
    const timer = setTimeout(() => {
      out += `\n[runner] ${name} exceeded ${timeoutMs} ms: killed\n`;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      const ms = Date.now() - started;
      const text = out.replace(/\x1b\[[0-9;]*m/g, '');
      const { passed, failed, notes } = parse
        ? summarize(name, text, code)
        : { passed: code === 0 ? 1 : 0, failed: code === 0 ? 0 : 1, notes: '' };
      if (failed > 0) process.stdout.write(`\n✘ ${name} (exit ${code})\n${text}${notes}\n`);
      else process.stdout.write(`✔ ${name}  ${passed} passed  ${ms} ms\n`);
      // the attack suite's tally (test/security) is part of the suite's output, pass or fail
      for (const line of text.match(/^\d+ attacks tried, \d+ refused$/gm) ?? []) process.stdout.write(`  ${line}\n`);
      resolve({ name, passed, failed, ms });
    });
  });
}

async function pool<T>(items: readonly T[], width: number, fn: (item: T) => Promise<Outcome>): Promise<Outcome[]> {
  const results: Outcome[] = [];
  let next = 0;
  const workers = Array.from({ length: Math.min(width, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      results.push(await fn(item));
    }
  });
  await Promise.all(workers);
  return results;
}

async function main(): Promise<void> {
  const results: Outcome[] = [];
  const bin = (name: string): string => join(root, 'node_modules', '.bin', name);
  if (runStatic) {
    results.push(
      ...(await Promise.all([
        run(bin('tsc'), ['--noEmit', '-p', 'tsconfig.json'], 'typecheck (tsc --noEmit)', false),
        run(bin('tsc'), ['--noEmit', '-p', 'tsconfig.web.json'], 'typecheck of the console page (tsc -p tsconfig.web.json)', false),
        run(bin('eslint'), ['--max-warnings', '0', '.'], 'lint (eslint)', false),
        run(
          bin('prettier'),
          ['--check', '--log-level', 'warn', '**/*.ts'],
          'format (prettier --check, 140 columns: .prettierrc.json)',
          false,
        ),
      ])),
    );
  }
  const files = listTests(join(root, 'test'))
    .map((f) => relative(root, f))
    .filter((f) => filters.length === 0 || filters.some((flt) => f.includes(flt)));
  const guard = join(root, 'scripts', 'uvu-guard', 'preload.mjs');
  mkdirSync(TSX_CACHE, { recursive: true, mode: 0o700 });
  // Each file gets its own TMPDIR, removed when it ends: what a test leaves in os.tmpdir() (a
  // failed test skips its cleanup) does not pile up in /tmp run after run.
  const runFile = async (f: string): Promise<Outcome> => {
    const tmp = mkdtempSync(join(tmpdir(), 'kao-test-'));
    // as /tmp is: daemons running as their own user (PostgreSQL as postgres, the reader daemon as nobody) work in it
    chmodSync(tmp, 0o1777);
    // tsx keeps its compile cache in os.tmpdir(): the files share the runner's, or each would compile everything anew
    symlinkSync(TSX_CACHE, join(tmp, basename(TSX_CACHE)));
    try {
      return await run(process.execPath, ['--import', 'tsx', '--import', guard, f], f, true, timeoutOf(f), { TMPDIR: tmp });
    } finally {
      try {
        rmSync(tmp, { recursive: true, force: true, maxRetries: 3 });
      } catch (err) {
        // e.g. a FUSE mount a killed test left behind: say so, the run goes on
        process.stderr.write(`test: could not remove ${tmp}: ${String(err)}\n`);
      }
    }
  };
  results.push(
    ...(await pool(
      files.filter((f) => f.endsWith('.test.ts')),
      2,
      runFile,
    )),
  );
  const itests = files.filter((f) => f.endsWith('.itest.ts'));
  const own = Promise.all(itests.filter(ownLane).map(runFile));
  results.push(
    ...(await pool(
      itests.filter((f) => !ownLane(f)),
      1,
      runFile,
    )),
  );
  results.push(...(await own));
  const passed = results.reduce((n, r) => n + r.passed, 0);
  const failed = results.reduce((n, r) => n + r.failed, 0);
  const slow = [...results]
    .sort((a, b) => b.ms - a.ms)
    .slice(0, 5)
    .map((r) => `${r.name} ${r.ms} ms`);
  process.stdout.write(`\nslowest: ${slow.join(', ')}\n`);
  process.stdout.write(`${passed} passed, ${failed} failed\n`);
  process.exitCode = failed > 0 ? 1 : 0;
}

await main();
