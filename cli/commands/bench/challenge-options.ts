/**
 * The liveness challenge as `bench face-liveness` (and `bench visit`) may change it, to compare
 * configurations: `--steps N` (2–6), `--max-blinks N` (1–3), `--first-delay LO-HI` and
 * `--delay LO-HI` (ms: the wait before the first cue, before each further one), `--window LO-HI`
 * (ms after the cue an answer may begin), `--recues N`, `--budget MS` (the decision budget).
 * Unset: the product's (DEFAULT_CHALLENGE_POLICY, DEFAULT_DECISION_POLICY).
 */
import { UsageError } from '../../args.ts';
import { DEFAULT_DECISION_POLICY } from '../../../firmware/face/decision.ts';
import { DEFAULT_CHALLENGE_POLICY, type ChallengePolicy, type DelayRange } from '../../../firmware/face/liveness/challenge.ts';

export const CHALLENGE_OPTIONS = {
  steps: { type: 'string' },
  'max-blinks': { type: 'string' },
  'first-delay': { type: 'string' },
  delay: { type: 'string' },
  window: { type: 'string' },
  recues: { type: 'string' },
  budget: { type: 'string' },
} as const;

export const CHALLENGE_USAGE = `Challenge options (default the product's): --steps N (2–6) --max-blinks N (1–3)
--first-delay LO-HI --delay LO-HI (ms of wait before the first / each further cue) --window LO-HI
(ms after the cue an answer may begin) --recues N --budget MS (decision budget from the first face).`;

type Values = { readonly [K in keyof typeof CHALLENGE_OPTIONS]?: string | undefined };

function integer(name: string, v: string, lo: number, hi: number): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < lo || n > hi) throw new UsageError(`--${name} must be an integer from ${lo} to ${hi}`);
  return n;
}

function range(name: string, v: string): DelayRange {
  const m = /^(\d+)-(\d+)$/.exec(v);
  const lo = Number(m?.[1]);
  const hi = Number(m?.[2]);
  if (!m || lo > hi || hi > 10_000) throw new UsageError(`--${name} must be LO-HI in ms (0 ≤ LO ≤ HI ≤ 10000)`);
  return [lo, hi];
}

export function challengeOf(values: Values): { readonly challenge: ChallengePolicy; readonly budgetMs: number } {
  const d = DEFAULT_CHALLENGE_POLICY;
  const first = values['first-delay'] !== undefined ? range('first-delay', values['first-delay']) : d.delayMs[0]!;
  const next = values.delay !== undefined ? range('delay', values.delay) : (d.delayMs[1] ?? first);
  const window = values.window !== undefined ? range('window', values.window) : ([d.minReactionMs, d.maxOnsetMs] as const);
  const challenge: ChallengePolicy = {
    ...d,
    steps: values.steps !== undefined ? integer('steps', values.steps, 2, 6) : d.steps,
    maxBlinks: values['max-blinks'] !== undefined ? integer('max-blinks', values['max-blinks'], 1, 3) : d.maxBlinks,
    delayMs: [first, next],
    minReactionMs: window[0],
    maxOnsetMs: window[1],
    maxRecues: values.recues !== undefined ? integer('recues', values.recues, 0, 3) : d.maxRecues,
  };
  const budgetMs = values.budget !== undefined ? integer('budget', values.budget, 500, 30_000) : DEFAULT_DECISION_POLICY.budgetMs;
  return { challenge, budgetMs };
}
