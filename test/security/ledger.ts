/**
 * The attack ledger: every attack of the suite is one uvu test in one suite. An attack returns
 * how the system refused it; if the system let it through, the attack throws (an assertion)
 * and the suite fails. At the end the suite prints `N attacks tried, N refused` (the test
 * runner echoes that line into the `npm test` output).
 */
import { suite } from 'uvu';

export type Finding = 1 | 2 | 3 | 5 | 6 | 7 | 8 | 9 | 10 | 11 | 'more';

const attacks = suite('attacks');
let tried = 0;
let refused = 0;
const befores: (() => Promise<void>)[] = [];
const afters: (() => Promise<void>)[] = [];

/** Registers one attack; `run` resolves when the system refused it (with a word on how). */
export function attack(finding: Finding, name: string, run: () => Promise<string>): void {
  attacks(`[${String(finding)}] ${name}`, async () => {
    tried += 1;
    await run();
    refused += 1;
  });
}

export function beforeAll(fn: () => Promise<void>): void {
  befores.push(fn);
}
export function afterAll(fn: () => Promise<void>): void {
  afters.push(fn);
}

export function runAttacks(): void {
  attacks.before(async () => {
    for (const fn of befores) await fn();
  });
  attacks.after(async () => {
    for (const fn of afters.reverse()) await fn();
    process.stdout.write(`\n${tried} attacks tried, ${refused} refused\n`);
  });
  attacks.run();
}
