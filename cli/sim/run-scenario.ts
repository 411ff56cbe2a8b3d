/**
 * Runs one scenario's steps against a simulated reader and checks its expectations: the
 * screens passed (in order), and the result record the facility stored (a subset match).
 * Every wait is bounded; a step that cannot happen is reported, never hangs.
 */
import type { VisitResult } from '../../firmware/ports/facility-link.ts';
import type { SimRig } from './rig.ts';
import type { Scenario, ScenarioStep } from './scenario.ts';

export interface ScenarioReport {
  readonly name: string;
  readonly passed: boolean;
  readonly problems: readonly string[];
  readonly screens: readonly string[];
  readonly result: VisitResult | undefined;
  readonly ms: number;
}

const EXPECT_MS = 15_000;

export async function perform(rig: SimRig, s: ScenarioStep, patience = 1): Promise<void> {
  if ('language' in s) return rig.tap(`lang:${s.language}`);
  if ('insert' in s) return rig.insertCard();
  if ('expect' in s) return rig.waitForScreen(s.expect, s.within ?? EXPECT_MS * patience);
  if ('tap' in s) return rig.tap(s.tap);
  if ('camera' in s) return rig.camera(s.camera);
  if ('pin' in s) return rig.pin(s.pin);
  if ('password' in s) return rig.password(s.password);
  if ('cancel' in s) return rig.cancelEntry();
  if ('pull' in s) return rig.pullCard();
  if ('facility' in s) return rig.facility(s.facility);
  return new Promise((resolve) => setTimeout(resolve, s.wait));
}

/** `expected` ⊆ `actual`, recursively for objects; problems listed with their path. */
export function subsetProblems(expected: unknown, actual: unknown, path = 'result'): string[] {
  if (expected !== null && typeof expected === 'object' && !Array.isArray(expected)) {
    if (actual === null || typeof actual !== 'object') return [`${path}: expected an object, got ${JSON.stringify(actual)}`];
    return Object.entries(expected).flatMap(([k, v]) => subsetProblems(v, (actual as Record<string, unknown>)[k], `${path}.${k}`));
  }
  if (expected === 'present') return actual === undefined ? [`${path}: missing`] : [];
  if (expected === 'absent') return actual !== undefined ? [`${path}: should be absent, is ${JSON.stringify(actual)}`] : [];
  return JSON.stringify(expected) === JSON.stringify(actual) ? [] : [`${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`];
}

/** `wanted` appears in `seen` in order (other screens may come between). */
export function orderProblems(wanted: readonly string[], seen: readonly string[]): string[] {
  let i = 0;
  for (const s of seen) if (s === wanted[i]) i++;
  return i === wanted.length ? [] : [`screens: expected ${wanted.join(' → ')} in order; missing from "${wanted[i] ?? ''}" on; saw ${seen.join(' → ')}`];
}

/** `patience` multiplies the default waits (slow machines, emulation). */
export async function runScenario(scenario: Scenario, rig: SimRig, resultWithinMs = 20_000, patience = 1): Promise<ScenarioReport> {
  const started = performance.now();
  const problems: string[] = [];
  for (const [i, s] of scenario.steps.entries()) {
    try {
      await perform(rig, s, patience);
    } catch (err) {
      problems.push(`step ${i + 1} ${JSON.stringify(s)}: ${(err as Error).message}`);
      break;
    }
  }
  let result: VisitResult | undefined;
  if (problems.length === 0 && (scenario.expect.result || scenario.steps.some((s) => 'insert' in s))) {
    try {
      result = await rig.waitForResult(1, resultWithinMs * patience);
    } catch (err) {
      problems.push(`no result: ${(err as Error).message}`);
    }
  }
  if (rig.results.length > 1) problems.push(`expected one result record per visit, the facility got ${rig.results.length}`);
  const screens = dedupe(rig.screens.map((s) => s.screen));
  if (scenario.expect.result && result) problems.push(...subsetProblems(scenario.expect.result, result));
  if (scenario.expect.screens) problems.push(...orderProblems(scenario.expect.screens, screens));
  for (const s of scenario.expect.notScreens ?? []) if (screens.includes(s)) problems.push(`screens: ${s} should not have been shown`);
  return { name: scenario.name, passed: problems.length === 0, problems, screens, result, ms: Math.round(performance.now() - started) };
}

/** Consecutive repeats of a screen (guidance updates) collapse into one. */
function dedupe(screens: readonly string[]): string[] {
  return screens.filter((s, i) => s !== screens[i - 1]);
}
