/**
 * The card fuzzer (`kaoreader bench card --fuzz N`): runs the reader's card phases against the
 * virtual card, each case either with one response of the phase mutated (response-mutator.ts:
 * byte flips, hostile status words, BER lengths, and the card structures' lengths and offset
 * table) or against a card built wrong in one structural way and re-signed (fuzz-variants.ts:
 * EF 0004 lengths and key ids, DF24, DF21, DF28's DigestInfo). Every case must end either in a
 * typed error (KaoreaderError with a code) within its time limit, or with exactly the output of
 * the unmutated run for a reason the oracle names (fuzz-oracle.ts); a variant must always be
 * refused. Anything else is a finding with its seed.
 */
import type { KeyObject } from 'node:crypto';
import { KaoreaderError } from '../../firmware/core/errors.ts';
import type { MyNumberCardTrust } from '../../firmware/apdu/myna/client.ts';
import type { CardSession, TransmitOptions } from '../../firmware/ports/card-reader.ts';
import type { CardContents } from './applets.ts';
import { harmlessBecause, HARMLESS, unusedRanges, type Harmless, type TraceEntry, type Unused } from './fuzz-oracle.ts';
import { FUZZ_PHASES, READER_PHASES, type FuzzPhase, type FuzzPhases } from './fuzz-phases.ts';
import { buildVariant, VARIANTS, type Variant } from './fuzz-variants.ts';
import type { IssuedContents } from './issue.ts';
import { MemoryStore } from './memory-store.ts';
import { MUTATIONS, Rng, mutate, type Mutation } from './response-mutator.ts';
import type { TestPki } from './test-pki.ts';
import { VirtualMyNumberCard } from './virtual-card.ts';

export interface FuzzInput {
  /** The genuine card's files (and where each EF 0002 field sits). */
  readonly issued: IssuedContents;
  /** Its keys, to re-sign the structural variants. */
  readonly pki: TestPki;
  /** A key that is none of the card's or the PKI's (the forger's). */
  readonly spareKey: KeyObject;
  readonly trust: MyNumberCardTrust;
  readonly pin: Uint8Array;
  readonly verificationNumberB: Uint8Array;
  readonly cases: number;
  readonly seed: number;
  /** Per-case wall-clock limit; a case over it is a finding (a hang). */
  readonly caseLimitMs?: number;
  /** Share of cases run against a structural variant (default 0.2). */
  readonly variantShare?: number;
  /** The phases under test (default: the reader's, through MyNumberCardClient). */
  readonly phases?: FuzzPhases;
  /** Replays these case seeds (from findings) instead of drawing `cases` new ones. */
  readonly replay?: readonly number[];
}

export type FindingKind =
  'accepted-corrupted-data' | 'changed-response-used' | 'variant-accepted' | 'untyped-error' | 'too-slow' | 'trace-diverged';

export interface FuzzFinding {
  readonly kind: FindingKind;
  readonly case: number;
  readonly seed: number;
  readonly phase: FuzzPhase;
  /** Response mutation and the exchange it hit, or the card variant. */
  readonly mutation?: Mutation;
  readonly at?: number;
  readonly variant?: Variant;
  readonly detail: string;
  /** Where the mutated response differs from the original: [index, was, now] (at most 8). */
  readonly changed?: readonly (readonly [number, number, number])[];
}

export interface FuzzReport {
  readonly cases: number;
  readonly responseCases: number;
  readonly variantCases: number;
  /** Cases that ended in a typed error, by code. */
  readonly typedErrors: Record<string, number>;
  /** Completed response cases with the unmutated output, by the oracle's reason. */
  readonly harmless: Record<Harmless, number>;
  /** Variant cases by variant: how many ran, and the codes that refused them. */
  readonly variants: Record<string, { cases: number; refusedWith: Record<string, number> }>;
  readonly findingCount: number;
  readonly findingKinds: Record<string, number>;
  readonly findings: FuzzFinding[];
  readonly maxCaseMs: number;
  readonly totalMs: number;
}

interface Baseline {
  readonly output: string;
  readonly trace: readonly TraceEntry[];
  readonly unused: readonly Unused[];
}

function card(contents: CardContents): VirtualMyNumberCard {
  const c = new VirtualMyNumberCard({ id: 'fuzz', counters: new MemoryStore(), contents });
  c.powerOn();
  return c;
}

function session(
  c: VirtualMyNumberCard,
  extended: boolean,
  onExchange: (i: number, command: Uint8Array, response: Uint8Array) => Uint8Array,
): CardSession {
  let n = 0;
  return {
    atr: c.atr,
    features: { extendedApdu: extended, contactless: false },
    async transmit(command: Uint8Array, _o: TransmitOptions): Promise<Uint8Array> {
      return onExchange(n++, command, await c.transmit(command));
    },
    disconnect: () => Promise.resolve(),
  };
}

const describe = (err: unknown): string => (err instanceof Error ? `${err.name}: ${err.message}` : String(err));

function changedBytes(was: Uint8Array, now: Uint8Array): [number, number, number][] {
  const out: [number, number, number][] = [];
  for (let i = 0; i < Math.max(was.length, now.length) && out.length < 8; i++)
    if (was[i] !== now[i]) out.push([i, was[i] ?? -1, now[i] ?? -1]);
  return out;
}

export async function fuzzCardResponses(input: FuzzInput): Promise<FuzzReport> {
  const phases = input.phases ?? READER_PHASES;
  const ctx = { trust: input.trust, pin: input.pin, verificationNumberB: input.verificationNumberB };
  const baselines = new Map<string, Baseline>();
  for (const phase of FUZZ_PHASES) {
    for (const extended of [false, true]) {
      const trace: TraceEntry[] = [];
      const s = session(card(input.issued.contents), extended, (_i, command, response) => {
        trace.push({ command: command.slice(), response: response.slice() });
        return response;
      });
      const output = await phases[phase]({ ...ctx, session: s });
      baselines.set(`${phase}/${extended}`, { output, trace, unused: unusedRanges(trace, input.issued.cardFace) });
    }
  }
  const variantCards = new Map<Variant, CardContents>();
  const rng = new Rng(input.seed);
  const typed: Record<string, number> = {};
  const harmless = Object.fromEntries(HARMLESS.map((h) => [h, 0])) as Record<Harmless, number>;
  const variants: Record<string, { cases: number; refusedWith: Record<string, number> }> = {};
  const findings: FuzzFinding[] = [];
  const findingKinds: Record<string, number> = {};
  let responseCases = 0;
  let maxCaseMs = 0;
  const started = performance.now();
  const find = (f: FuzzFinding): void => {
    findingKinds[f.kind] = (findingKinds[f.kind] ?? 0) + 1;
    if (findings.length < 200) findings.push(f);
  };
  const total = input.replay?.length ?? input.cases;
  for (let i = 0; i < total; i++) {
    const caseSeed = input.replay?.[i] ?? rng.next();
    const local = new Rng(caseSeed);
    const extended = local.int(2) === 0;
    const isVariant = local.int(1000) < (input.variantShare ?? 0.2) * 1000;
    const t0 = performance.now();
    let casePhase: FuzzPhase = 'face';
    if (isVariant) {
      const variant = VARIANTS[local.int(VARIANTS.length)] ?? 'clone-chip';
      let contents = variantCards.get(variant);
      if (!contents) {
        contents = buildVariant(variant, input.issued, input.pki, input.spareKey);
        variantCards.set(variant, contents);
      }
      const tally = (variants[variant] ??= { cases: 0, refusedWith: {} });
      tally.cases++;
      try {
        const out = await phases.face({ ...ctx, session: session(card(contents), extended, (_i, _c, r) => r) });
        find({ kind: 'variant-accepted', case: i, seed: caseSeed, phase: 'face', variant, detail: `completed with output ${out}` });
      } catch (err) {
        if (err instanceof KaoreaderError) {
          typed[err.code] = (typed[err.code] ?? 0) + 1;
          tally.refusedWith[err.code] = (tally.refusedWith[err.code] ?? 0) + 1;
        } else find({ kind: 'untyped-error', case: i, seed: caseSeed, phase: 'face', variant, detail: describe(err) });
      }
    } else {
      responseCases++;
      const phase = FUZZ_PHASES[local.int(FUZZ_PHASES.length)] ?? 'certificate';
      casePhase = phase;
      const base = baselines.get(`${phase}/${extended}`);
      if (!base) throw new RangeError(`no baseline for ${phase}`);
      const at = local.int(base.trace.length);
      const mutation = MUTATIONS[local.int(MUTATIONS.length)] ?? 'flip';
      const entry = base.trace[at];
      let mutated: Uint8Array | undefined;
      let diverged = false;
      const s = session(card(input.issued.contents), extended, (n, command, response) => {
        if (n !== at) return response;
        if (!entry || Buffer.compare(command, entry.command) !== 0) diverged = true;
        const handed = mutate(response, mutation, local);
        mutated = handed.slice(); // the reader zeroes what it is handed once copied (myna/files.ts)
        return handed;
      });
      const where = { case: i, seed: caseSeed, phase, mutation, at };
      try {
        const out = await phases[phase]({ ...ctx, session: s });
        if (diverged || !entry || !mutated)
          find({ ...where, kind: 'trace-diverged', detail: 'the mutated run sent another command than the unmutated one' });
        else if (out !== base.output)
          find({
            ...where,
            kind: 'accepted-corrupted-data',
            detail: `output ${out}, unmutated ${base.output}`,
            changed: changedBytes(entry.response, mutated),
          });
        else {
          const why = harmlessBecause(entry, mutated, base.unused[at] ?? { ranges: [] });
          if (why) harmless[why]++;
          else
            find({
              ...where,
              kind: 'changed-response-used',
              detail: `response ${Buffer.from(entry.response.subarray(-2)).toString('hex')} → ${Buffer.from(mutated.subarray(-2)).toString('hex')} (${mutated.length} bytes, was ${entry.response.length}) accepted`,
              changed: changedBytes(entry.response, mutated),
            });
        }
      } catch (err) {
        if (err instanceof KaoreaderError) typed[err.code] = (typed[err.code] ?? 0) + 1;
        else find({ ...where, kind: 'untyped-error', detail: describe(err) });
      }
    }
    const ms = performance.now() - t0;
    maxCaseMs = Math.max(maxCaseMs, ms);
    if (input.caseLimitMs !== undefined && ms > input.caseLimitMs)
      find({ kind: 'too-slow', case: i, seed: caseSeed, phase: casePhase, detail: `took ${ms.toFixed(0)} ms` });
  }
  const findingCount = Object.values(findingKinds).reduce((a, b) => a + b, 0);
  return {
    cases: total,
    responseCases,
    variantCases: total - responseCases,
    typedErrors: typed,
    harmless,
    variants,
    findingCount,
    findingKinds,
    findings,
    maxCaseMs,
    totalMs: performance.now() - started,
  };
}
