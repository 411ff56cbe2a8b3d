/**
 * Fuzz target: runs the reader's card phases (detect + certificate, PIN mode, face mode) against
 * the virtual card while one response in the phase is mutated. Every case must end either
 * normally or in a KaoreaderError (typed, with a code), within its deadline. Anything else is
 * reported as a finding with its seed.
 */
import { KaoreaderError } from '../../firmware/core/errors.ts';
import { MyNumberCardClient, type MyNumberCardTrust } from '../../firmware/apdu/myna/client.ts';
import type { CardSession, TransmitOptions } from '../../firmware/ports/card-reader.ts';
import { systemClock } from '../../firmware/platform/system-clock.ts';
import { MUTATIONS, Rng, mutate, type Mutation } from './response-mutator.ts';
import type { VirtualMyNumberCard } from './virtual-card.ts';

export interface FuzzInput {
  readonly card: VirtualMyNumberCard;
  readonly trust: MyNumberCardTrust;
  readonly pin: Uint8Array;
  readonly numberB: Uint8Array;
  readonly cases: number;
  readonly seed: number;
  /** Per-case wall-clock limit; a case over it is a finding (a hang). */
  readonly caseLimitMs?: number;
}

export interface FuzzFinding { readonly case: number; readonly seed: number; readonly phase: string; readonly mutation: Mutation; readonly at: number; readonly error: string }

export interface FuzzReport {
  readonly cases: number;
  readonly completed: number;
  readonly typedErrors: Record<string, number>;
  readonly findings: FuzzFinding[];
  readonly maxCaseMs: number;
  readonly totalMs: number;
}

const PHASES = ['certificate', 'pin', 'face'] as const;

function mutatingSession(card: VirtualMyNumberCard, at: number, apply: (r: Uint8Array) => Uint8Array): CardSession {
  let n = 0;
  return {
    atr: card.atr,
    features: { extendedApdu: (at & 1) === 0, contactless: false },
    async transmit(command: Uint8Array, _o: TransmitOptions): Promise<Uint8Array> {
      const r = await card.transmit(command);
      return n++ === at ? apply(r) : r;
    },
    disconnect: () => Promise.resolve(),
  };
}

async function runPhase(client: MyNumberCardClient, phase: (typeof PHASES)[number], input: FuzzInput): Promise<void> {
  if (phase === 'certificate') {
    await client.readCheckedCertificate();
  } else if (phase === 'pin') {
    await client.pinTriesLeft();
    await client.verifyPin(input.pin);
    const cert = await client.readCheckedCertificate();
    await client.signChallenge(cert, new Uint8Array(32).fill(7));
  } else {
    await client.verificationNumberBTriesLeft();
    await client.verifyVerificationNumberB(input.numberB);
    const face = await client.readCardFace();
    face.photo.fill(0);
  }
}

export async function fuzzCardResponses(input: FuzzInput): Promise<FuzzReport> {
  const rng = new Rng(input.seed);
  const typed: Record<string, number> = {};
  const findings: FuzzFinding[] = [];
  let completed = 0;
  let maxCaseMs = 0;
  const started = performance.now();
  for (let i = 0; i < input.cases; i++) {
    const caseSeed = rng.next();
    const local = new Rng(caseSeed);
    const phase = PHASES[local.int(PHASES.length)] ?? 'certificate';
    const mutation = MUTATIONS[local.int(MUTATIONS.length)] ?? 'flip';
    const at = local.int(phase === 'certificate' ? 8 : 14);
    input.card.powerOn();
    const t0 = performance.now();
    try {
      const client = await MyNumberCardClient.open(mutatingSession(input.card, at, (r) => mutate(r, mutation, local)), { clock: systemClock, trust: input.trust, timeoutMs: 500 });
      await runPhase(client, phase, input);
      completed++;
    } catch (err) {
      if (err instanceof KaoreaderError) typed[err.code] = (typed[err.code] ?? 0) + 1;
      else findings.push({ case: i, seed: caseSeed, phase, mutation, at, error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) });
    }
    const ms = performance.now() - t0;
    maxCaseMs = Math.max(maxCaseMs, ms);
    if (input.caseLimitMs !== undefined && ms > input.caseLimitMs) findings.push({ case: i, seed: caseSeed, phase, mutation, at, error: `took ${ms.toFixed(0)} ms` });
  }
  return { cases: input.cases, completed, typedErrors: typed, findings, maxCaseMs, totalMs: performance.now() - started };
}
