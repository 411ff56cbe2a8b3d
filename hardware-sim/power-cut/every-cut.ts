/**
 * Runs a store's recovery on every crash state of a recorded run (crash-states.ts). `recover`
 * gets each distinct state written into a fresh directory, opens the store there and returns
 * what it found; `judge` then says, for every state (every cut, every variant) with that
 * content, what is wrong given what had been confirmed by that cut (an empty list when recovery
 * kept every promise). Equal contents are recovered once but judged at each cut: what must be
 * there grows with the cut. States are written under /dev/shm when it exists (they are many and
 * small; their own durability is not what is tested).
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crashStates, materialize, stateKey, type CrashState, type Variant } from './crash-states.ts';
import type { FsOp } from './op-log.ts';

export interface CutReport {
  /** Recorded operations. */
  readonly operations: number;
  /** Cut points: after each operation, and before the first. */
  readonly cutPoints: number;
  /** States judged (every variant at every cut), and distinct contents recovered. */
  readonly states: number;
  readonly distinctStates: number;
  readonly checkedByVariant: Readonly<Record<Variant, number>>;
  /** The first problems found (`cut k variant: …`), at most `maxProblems`. */
  readonly problems: readonly string[];
  readonly problemCount: number;
  readonly ms: number;
}

export interface CutCheck<R> {
  /** Opens the store in `dir` (a crash state) and returns what it recovered; may throw. */
  recover(dir: string): Promise<R>;
  /** What is wrong with `recovered` for a cut at `state` (empty: nothing). */
  judge(recovered: R, state: CrashState): readonly string[];
}

export async function checkEveryCut<R>(
  ops: readonly FsOp[],
  check: CutCheck<R>,
  o: { readonly seed?: number; readonly maxProblems?: number } = {},
): Promise<CutReport> {
  const t0 = performance.now();
  const base = await mkdtemp(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'kao-cuts-'));
  const seen = new Map<string, { readonly ok: R } | { readonly error: string }>();
  const checked: Record<Variant, number> = { durable: 0, torn: 0, writeback: 0 };
  const problems: string[] = [];
  let problemCount = 0;
  let states = 0;
  try {
    for (const state of crashStates(ops, { seed: o.seed ?? 1 })) {
      states += 1;
      checked[state.variant] += 1;
      const key = stateKey(state);
      let recovered = seen.get(key);
      if (!recovered) {
        const dir = join(base, String(seen.size));
        await materialize(state, dir);
        try {
          recovered = { ok: await check.recover(dir) };
        } catch (err) {
          recovered = { error: `recovery threw ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}` };
        } finally {
          await rm(dir, { recursive: true, force: true });
        }
        seen.set(key, recovered);
      }
      const found = 'ok' in recovered ? check.judge(recovered.ok, state) : [recovered.error];
      problemCount += found.length;
      for (const p of found) if (problems.length < (o.maxProblems ?? 20)) problems.push(`cut ${state.cut} ${state.variant}: ${p}`);
    }
  } finally {
    await rm(base, { recursive: true, force: true });
  }
  return {
    operations: ops.length,
    cutPoints: ops.length + 1,
    states,
    distinctStates: seen.size,
    checkedByVariant: checked,
    problems,
    problemCount,
    ms: Math.round(performance.now() - t0),
  };
}
