/**
 * One bench worker process hosting many simulated readers: each an MqttFacilityLink with a
 * durable outbox (readers share `journals` journals round robin). First every reader prepares
 * its proofs the way a visit does (qualify → the card signs the challenge → prove: proofs.ts),
 * then the worker prints `prepared` and waits for `go` on stdin; then each reader submits
 * accepted results carrying those proofs at its rate (one submit tick for the whole process).
 * Latency = outbox append → the facility's ack (after it verified and committed the result).
 * Argument: one JSON object (WorkerJob). Writes its WorkerReport to `<dir>/report.json`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { silentLogger } from '../../firmware/core/logger.ts';
import { MqttFacilityLink } from '../../firmware/facility/link/mqtt-facility-link.ts';
import { Outbox, OutboxJournal } from '../../firmware/facility/outbox/outbox.ts';
import { systemClock } from '../../firmware/platform/system-clock.ts';
import { loadBenchCards } from '../../hardware-sim/card/bench-cards.ts';
import { loadTestPki } from '../../hardware-sim/card/test-pki.ts';
import { runQueueWaitMs } from './proc-stats.ts';
import { ProofSource } from '../../hardware-sim/facility/proofs.ts';

export interface WorkerJob {
  url: string;
  readers: string[];
  dir: string;
  ratePerReader: number;
  durationMs: number;
  drainMs: number;
  /** outbox journals the readers of this process share */
  journals: number;
  /** proofs each reader prepares (one per result it will submit) */
  proofsPerReader: number;
}
export interface WorkerReport {
  submitted: number;
  delivered: number;
  refused: number;
  latenciesMs: number[];
  appendMs: number[];
  flightMs: number[];
  /** per delivered result, joined by its id: [ack latency, append, flight, ms since the first submit when it was submitted] */
  perResult: [number, number, number, number][];
  cpuUserMs: number;
  cpuSystemMs: number;
  maxRssKb: number;
  firstSubmit: number;
  lastDelivery: number;
  errors: number;
  /** time this process's threads waited for a CPU while runnable */
  runQueueWaitMs: number;
  /** event-loop delay percentiles (ms) */
  loopDelayMs: { p50: number; p99: number; max: number };
  /** synchronous (durable) journal writes during the run: the readers' share of the disk's flushes */
  journalSyncs: number;
  /** proof preparation: how many, how long, this process's CPU for it */
  prepare: { proofs: number; ms: number; cpuMs: number };
}

const job = JSON.parse(process.argv[2] ?? '{}') as WorkerJob;
const latencies: number[] = [];
const appendMs: number[] = [];
const flightMs: number[] = [];
let delivered = 0;
let refused = 0;
let submitted = 0;
let errors = 0;
let lastDelivery = 0;
/** id → [append ms (NaN until appended), submitted at (ms since the first submit)] */
const timing = new Map<string, [number, number]>();
const perResult: [number, number, number, number][] = [];
let firstSubmitAt = 0;
const noop = (): Promise<void> => Promise.resolve();

const cards = await loadBenchCards(await loadTestPki(), 8);
const journals = await Promise.all(
  Array.from({ length: Math.max(1, Math.min(job.journals, job.readers.length)) }, (_, k) =>
    OutboxJournal.open({ dir: join(job.dir, `journal-${k}`) }),
  ),
);
const readers: { link: MqttFacilityLink; proofs: ProofSource }[] = [];
for (const [n, readerId] of job.readers.entries()) {
  const journal = journals[n % journals.length] as OutboxJournal;
  const link = new MqttFacilityLink({
    readerId,
    facilityId: 'clinic-a',
    brokerUrl: job.url,
    outbox: Outbox.in(journal, readerId),
    clock: systemClock,
    log: silentLogger,
    firmwareVersion: 'bench',
    bootCounter: 1,
    hardware: { model: 'bench', arch: process.arch },
    settings: { setFacilityName: noop, setStaffPasswordHash: noop },
    window: 32,
    ackTimeoutMs: 10_000,
    healthIntervalMs: 60_000,
    connectWaitMs: 10_000,
    onDelivered: (id, ms, flight) => {
      latencies.push(ms);
      flightMs.push(flight);
      const t = timing.get(id);
      if (t) perResult.push([ms, t[0], flight, t[1]]);
      timing.delete(id);
      delivered += 1;
      lastDelivery = Date.now();
    },
    onRefused: () => {
      refused += 1;
      lastDelivery = Date.now();
    },
  });
  await link.start();
  readers.push({ link, proofs: new ProofSource(link, cards, readerId, 60_000) });
}
for (let i = 0; i < 600 && readers.some((r) => !r.link.facilityOnline); i++) await new Promise((r) => setTimeout(r, 50));

const prepCpu0 = process.cpuUsage();
const prep0 = Date.now();
await Promise.all(readers.map((r) => r.proofs.prefetch(job.proofsPerReader, 2)));
const prepCpu = process.cpuUsage(prepCpu0);
const prepare = {
  proofs: readers.reduce((n, r) => n + r.proofs.available, 0),
  ms: Date.now() - prep0,
  cpuMs: (prepCpu.user + prepCpu.system) / 1000,
};
process.stdout.write('prepared\n');
await new Promise<void>((resolve) => {
  const rl = createInterface({ input: process.stdin });
  rl.on('line', (l) => {
    if (l.trim() === 'go') {
      rl.close();
      resolve();
    }
  });
});

const syncs0 = journals.reduce((n, j) => n + j.stats.fsyncs, 0);
const cpu0 = process.cpuUsage();
const wait0 = runQueueWaitMs('self');
const loop = monitorEventLoopDelay({ resolution: 5 });
loop.enable();
const firstSubmit = Date.now();
firstSubmitAt = performance.now();
const perReaderInterval = 1000 / job.ratePerReader;
const submit = (link: MqttFacilityLink, proofs: ProofSource): boolean => {
  const result = proofs.result();
  if (!result) return false;
  submitted += 1;
  const t = performance.now();
  const entry: [number, number] = [NaN, t - firstSubmitAt];
  timing.set(result.id, entry);
  link.submitResult(result).then(
    () => {
      entry[0] = performance.now() - t;
      appendMs.push(entry[0]);
    },
    () => {
      errors += 1;
    },
  );
  return true;
};
// One schedule for all readers of this process (not a timer per reader: the load generator's own
// wake-ups are not a reader's work): each reader is due every perReaderInterval from its offset,
// the readers spread over the interval; a tick submits whatever is due, at most TICK_MS late.
// Latency is timed per result from its own submitResult call, so the tick does not enter it.
const TICK_MS = 2;
const nextDue = readers.map((_, r) => (r / readers.length) * perReaderInterval);
await new Promise<void>((done) => {
  const tick = (): void => {
    const now = Date.now() - firstSubmit;
    let soonest = Infinity;
    // An index loop: `readers.entries()` made two objects per reader per tick (about 12 % of a worker's allocations).
    for (let r = 0; r < readers.length; r++) {
      const { link, proofs } = readers[r] as (typeof readers)[number];
      for (let k = 0; k < 10_000; k++) {
        const due = nextDue[r] ?? Infinity;
        if (due > job.durationMs) break;
        if (due > now) {
          soonest = Math.min(soonest, due);
          break;
        }
        nextDue[r] = submit(link, proofs) ? due + perReaderInterval : Infinity;
      }
    }
    if (soonest === Infinity) done();
    else setTimeout(tick, Math.max(TICK_MS, soonest - now));
  };
  tick();
});
const drainUntil = Date.now() + job.drainMs;
while (delivered + refused + errors < submitted && Date.now() < drainUntil) await new Promise((r) => setTimeout(r, 50));
const cpu = process.cpuUsage(cpu0);
loop.disable();
const report: WorkerReport = {
  submitted,
  delivered,
  refused,
  latenciesMs: latencies,
  appendMs,
  flightMs,
  perResult,
  cpuUserMs: cpu.user / 1000,
  cpuSystemMs: cpu.system / 1000,
  maxRssKb: process.resourceUsage().maxRSS,
  firstSubmit,
  lastDelivery,
  errors,
  runQueueWaitMs: runQueueWaitMs('self') - wait0,
  loopDelayMs: { p50: loop.percentile(50) / 1e6, p99: loop.percentile(99) / 1e6, max: loop.max / 1e6 },
  journalSyncs: journals.reduce((n, j) => n + j.stats.fsyncs, 0) - syncs0,
  prepare,
};
// A file, not stdout: a pipe may still hold the tail of a large report when we exit.
mkdirSync(job.dir, { recursive: true });
writeFileSync(join(job.dir, 'report.json'), JSON.stringify(report));
await Promise.all(readers.map(({ link }) => link.close().catch(() => undefined)));
await Promise.all(journals.map((j) => j.close()));
process.exit(0);
