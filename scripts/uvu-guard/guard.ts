/**
 * uvu, with hooks that say why they failed. uvu runs `before`/`after` hooks inside a try whose
 * `finally` returns, so a throwing `before` hook is swallowed: the file prints "(0 / N)" with no
 * error at all. Here every hook is wrapped to print its error (with the stack) on stderr before
 * rethrowing, and a failing test prints its message at once (a file killed at the runner's time
 * limit never reaches uvu's report), so the runner's failure output always says why. Test files import 'uvu' as usual;
 * scripts/run-tests.ts resolves that import to this file (hooks.mjs).
 */
import * as uvu from 'uvu';
import type { Callback, Test } from 'uvu';

function reported<T>(where: string, fn: Callback<T>): Callback<T> {
  return async (ctx) => {
    try {
      await fn(ctx);
    } catch (err) {
      const text = err instanceof Error ? (err.stack ?? `${err.name}: ${err.message}`) : String(err);
      process.stderr.write(`\n✘ ${where} hook threw (the tests it guards did not run):\n${text}\n`);
      throw err;
    }
  };
}

/** A failing test says so at once too (uvu reports at the end of the file, which a killed file never reaches). */
function reportedTest<T>(name: string, fn: Callback<T>): Callback<T> {
  return async (ctx) => {
    try {
      await fn(ctx);
    } catch (err) {
      const first = (err instanceof Error ? err.message : String(err)).split('\n').slice(0, 4).join(' | ');
      process.stderr.write(`\n✘ "${name}": ${first}\n`);
      throw err;
    }
  };
}

function guarded<T>(t: Test<T>, name: string): Test<T> {
  const of = name ? ` of suite "${name}"` : '';
  const run = Object.assign((title: string, fn: Callback<T>) => t(title, reportedTest(title, fn)), {
    only: (title: string, fn: Callback<T>) => t.only(title, reportedTest(title, fn)),
    skip: t.skip,
    before: t.before,
    after: t.after,
    run: t.run,
  });
  for (const key of ['before', 'after'] as const) {
    const hook = t[key];
    const wrapped = Object.assign((fn: Callback<T>) => hook(reported(`${key}${of}`, fn)), {
      each: (fn: Callback<T>) => hook.each(reported(`${key}.each${of}`, fn)),
    });
    run[key] = wrapped;
  }
  return run;
}

export const test = guarded(uvu.test, '');
export function suite<T = Record<string, unknown>>(title?: string, context?: T): Test<T> {
  return guarded(uvu.suite<T>(title, context), title ?? '');
}
export const exec = uvu.exec;
