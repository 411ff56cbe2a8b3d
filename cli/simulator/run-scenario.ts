/**
 * Runs one scenario's steps against a simulated reader and checks its expectations: the
 * screens passed (in order), and the result record the facility stored (a subset match), which
 * must be the very record the reader handed over (same id, same content): delivered, not merely
 * announced by the reader's own event. For every accepted result stored, whatever the scenario
 * says, the card's proof: a signature over a challenge the facility handed out, verifying with
 * the certificate of the card in the slot. Every wait is bounded; a step that cannot happen is
 * reported, never hangs.
 */
import { X509Certificate, verify } from 'node:crypto';
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

/**
 * How long a step waits for its screen: a face visit's next screen follows the five-cue challenge
 * (≈ 11–13 s, docs/benchmarks/face.md), on a loaded machine after a second attempt (16 s budget each).
 */
const EXPECT_MS = 50_000;

export async function perform(rig: SimRig, s: ScenarioStep, patience = 1): Promise<void> {
  if ('language' in s) return rig.tap(`lang-${s.language}`);
  if ('insert' in s) return rig.insertCard();
  if ('expect' in s) return rig.waitForScreen(s.expect, s.within ?? EXPECT_MS * patience);
  if ('see' in s) return rig.waitForText(s.see, s.within ?? EXPECT_MS * patience);
  if ('tap' in s) return rig.tap(s.tap);
  if ('camera' in s) return rig.camera(s.camera);
  if ('pin' in s) return rig.pin(s.pin);
  if ('password' in s) return rig.password(s.password);
  if ('cancel' in s) return rig.cancelEntry();
  if ('pull' in s) return rig.pullCard();
  if ('facility' in s) return rig.facility(s.facility);
  if ('fault' in s) return rig.cardNoAnswer();
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
  return JSON.stringify(expected) === JSON.stringify(actual)
    ? []
    : [`${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`];
}

/**
 * An accepted result must be bound to the card: certificate, challenge and signature present, the
 * certificate the one on the card inserted, the challenge one the facility issued, and the
 * signature (PKCS#1 v1.5, SHA-256) verifying over the challenge with that certificate's key.
 */
export function cardProofProblems(result: VisitResult, issued: ReadonlySet<string>, cardCertificate: Uint8Array): string[] {
  if (result.outcome !== 'accepted') return [];
  const { certificate, challenge, signature } = result;
  if (!certificate || !challenge || !signature)
    return [
      `accepted (${result.method ?? 'no method'}) without the card's proof: certificate ${certificate ? 'present' : 'missing'}, challenge ${challenge ? 'present' : 'missing'}, signature ${signature ? 'present' : 'missing'}`,
    ];
  const problems: string[] = [];
  const der = Buffer.from(certificate, 'base64');
  if (Buffer.compare(der, cardCertificate) !== 0) problems.push('result.certificate is not the certificate of the card inserted');
  if (!issued.has(challenge)) problems.push('result.challenge was never issued by the facility');
  if (!verify('sha256', Buffer.from(challenge, 'hex'), new X509Certificate(der).publicKey, Buffer.from(signature, 'base64')))
    problems.push('result.signature does not verify over the challenge with the certificate');
  return problems;
}

/** `wanted` appears in `seen` in order (other screens may come between). */
export function orderProblems(wanted: readonly string[], seen: readonly string[]): string[] {
  let i = 0;
  for (const s of seen) if (s === wanted[i]) i++;
  return i === wanted.length
    ? []
    : [`screens: expected ${wanted.join(' → ')} in order; missing from "${wanted[i] ?? ''}" on; saw ${seen.join(' → ')}`];
}

/** `patience` multiplies the default waits (slow machines, emulation). */
export async function runScenario(scenario: Scenario, rig: SimRig, resultWithinMs = 20_000, patience = 1): Promise<ScenarioReport> {
  const started = performance.now();
  const problems: string[] = [];
  /** Visits the scenario makes ("try again" starts another); the result checked is the last one's. */
  const visits = scenario.expect.visits ?? 1;
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
      result = await rig.waitForResult(visits, resultWithinMs * patience);
    } catch (err) {
      problems.push(`no result: ${(err as Error).message}`);
    }
  }
  if (result) problems.push(...deliveryProblems(result, rig.handedOver));
  const stored = await rig.storedResults();
  if (stored.length > visits) problems.push(`expected one result record per visit (${visits}), the facility got ${stored.length}`);
  const screens = dedupe(rig.screens.map((s) => s.screen));
  if (scenario.expect.result && result) problems.push(...subsetProblems(scenario.expect.result, result));
  for (const r of stored) {
    const issued = new Set<string>();
    if (r.challenge && (await rig.challengeIssued(r.challenge)) !== false) issued.add(r.challenge);
    problems.push(...cardProofProblems(r, issued, rig.cardCertificate));
  }
  if (scenario.expect.screens) problems.push(...orderProblems(scenario.expect.screens, screens));
  for (const s of scenario.expect.notScreens ?? []) if (screens.includes(s)) problems.push(`screens: ${s} should not have been shown`);
  return { name: scenario.name, passed: problems.length === 0, problems, screens, result, ms: Math.round(performance.now() - started) };
}

/** The record the facility stored is the one the reader handed over: same id, same content. */
export function deliveryProblems(stored: VisitResult, handedOver: readonly VisitResult[]): string[] {
  const mine = handedOver.find((r) => r.id === stored.id);
  if (!mine)
    return [
      `the facility stored result ${stored.id}, which the reader never handed over (it handed over ${handedOver.map((r) => r.id).join(', ') || 'none'})`,
    ];
  return canonical(mine) === canonical(stored)
    ? []
    : [`the facility stored result ${stored.id} with other content:\n    reader:   ${canonical(mine)}\n    facility: ${canonical(stored)}`];
}

/** JSON with keys sorted at every level (what was sent and what was stored compare equal when their contents do). */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v !== null && typeof v === 'object')
    return `{${Object.entries(v)
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, x]) => `${JSON.stringify(k)}:${canonical(x)}`)
      .join(',')}}`;
  return JSON.stringify(v);
}

/** Consecutive repeats of a screen (guidance updates) collapse into one. */
function dedupe(screens: readonly string[]): string[] {
  return screens.filter((s, i) => s !== screens[i - 1]);
}
