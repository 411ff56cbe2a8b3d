/**
 * One bench worker process hosting many simulated readers. Mode `durable`: each reader is an
 * MqttFacilityLink with its own fsync'd outbox; latency = outbox append → facility ack.
 * Mode `bare`: each reader is a bare mqtt.js client publishing QoS 1; latency = publish → PUBACK.
 * Argument: one JSON object (see WorkerJob). Writes its WorkerReport to `<dir>/report.json` at the end.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { connect, type MqttClient } from 'mqtt';
import { silentLogger } from '../../firmware/core/logger.ts';
import { noDelay } from '../../firmware/facility/link/client-options.ts';
import { MqttFacilityLink } from '../../firmware/facility/link/mqtt-facility-link.ts';
import { Outbox, OutboxJournal } from '../../firmware/facility/outbox/outbox.ts';
import { encode } from '../../firmware/facility/messages/codec.ts';
import { newResultId } from '../../firmware/core/uuidv7.ts';
import { systemClock } from '../../firmware/platform/system-clock.ts';
import type { VisitResult } from '../../firmware/ports/facility-link.ts';
import { runQueueWaitMs } from './proc-stats.ts';

export interface WorkerJob {
  mode: 'durable' | 'bare'; url: string; readers: string[]; dir: string; ratePerReader: number; durationMs: number; drainMs: number;
  /** outbox journals the readers of this process share (durable) */
  journals: number;
}
export interface WorkerReport {
  submitted: number; delivered: number; latenciesMs: number[]; appendMs: number[]; flightMs: number[];
  cpuUserMs: number; cpuSystemMs: number; maxRssKb: number; firstSubmit: number; lastDelivery: number; errors: number;
  /** time this process's threads waited for a CPU while runnable */
  runQueueWaitMs: number;
  /** event-loop delay percentiles (ms) */
  loopDelayMs: { p50: number; p99: number; max: number };
}

const job = JSON.parse(process.argv[2] ?? '{}') as WorkerJob;
const latencies: number[] = [];
const appendMs: number[] = [];
const flightMs: number[] = [];
let delivered = 0;
let submitted = 0;
let errors = 0;
let lastDelivery = 0;
const noop = (): Promise<void> => Promise.resolve();

function result(readerId: string, i: number): VisitResult {
  const now = new Date().toISOString();
  return { schema: 'kaoreader.result/1', id: newResultId(), readerId, visitId: `b${i}`, startedAt: now, finishedAt: now, method: 'pin', outcome: 'accepted', segment: 1, certificateSerial: (i + 1).toString(16), processingMs: 900 };
}

type Sender = (i: number) => Promise<void>;
const closers: (() => Promise<void>)[] = [];
const senders: Sender[] = [];
// Readers share `journals` journals (round robin): each is one group-commit chain, so a chain
// whose write waits for a CPU or the disk holds up only its own readers.
const journals = job.mode === 'durable' ? await Promise.all(Array.from({ length: Math.max(1, Math.min(job.journals, job.readers.length)) }, (_, k) => OutboxJournal.open({ dir: join(job.dir, `journal-${k}`) }))) : [];
for (const [n, readerId] of job.readers.entries()) {
  const journal = journals[n % Math.max(1, journals.length)];
  if (journal) {
    const outbox = Outbox.in(journal, readerId);
    const link = new MqttFacilityLink({
      readerId, facilityId: 'clinic-a', brokerUrl: job.url, outbox, clock: systemClock, log: silentLogger, firmwareVersion: 'bench', bootCounter: 1,
      hardware: { model: 'bench', arch: process.arch }, settings: { setFacilityName: noop, setConsentItems: noop, setStaffPasswordHash: noop },
      window: 32, ackTimeoutMs: 10_000, healthIntervalMs: 60_000, connectWaitMs: 10_000,
      onDelivered: (_id, ms, flight) => { latencies.push(ms); flightMs.push(flight); delivered += 1; lastDelivery = Date.now(); },
    });
    await link.start();
    senders.push(async (i) => {
      const t = performance.now();
      await link.submitResult(result(readerId, i));
      appendMs.push(performance.now() - t);
    });
    closers.push(() => link.close());
  } else {
    const client: MqttClient = await new Promise((resolve, reject) => {
      const c = connect(job.url, { clientId: `bare-${readerId}`, protocolVersion: 5, clean: true, reconnectPeriod: 1000 });
      c.once('connect', () => { noDelay(c); resolve(c); });
      c.once('error', reject);
    });
    senders.push(async (i) => {
      const r = result(readerId, i);
      const t = performance.now();
      await client.publishAsync(`readers/${readerId}/results`, encode('kaoreader.result', r), { qos: 1 });
      latencies.push(performance.now() - t);
      delivered += 1;
      lastDelivery = Date.now();
    });
    closers.push(() => client.endAsync());
  }
}

const cpu0 = process.cpuUsage();
const wait0 = runQueueWaitMs('self');
const loop = monitorEventLoopDelay({ resolution: 5 });
loop.enable();
const firstSubmit = Date.now();
const perReaderInterval = 1000 / job.ratePerReader;
await Promise.all(senders.map(async (send, r) => {
  const offset = (r / senders.length) * perReaderInterval; // spread readers over the interval
  for (let i = 0; ; i++) {
    const due = firstSubmit + offset + i * perReaderInterval;
    if (due - firstSubmit > job.durationMs) break;
    if (due > Date.now()) await new Promise((res) => setTimeout(res, due - Date.now()));
    submitted += 1;
    send(i).catch(() => { errors += 1; });
  }
}));
const drainUntil = Date.now() + job.drainMs;
while (delivered + errors < submitted && Date.now() < drainUntil) await new Promise((r) => setTimeout(r, 50));
const cpu = process.cpuUsage(cpu0);
loop.disable();
const report: WorkerReport = {
  submitted, delivered, latenciesMs: latencies, appendMs, flightMs, cpuUserMs: cpu.user / 1000, cpuSystemMs: cpu.system / 1000,
  maxRssKb: process.resourceUsage().maxRSS, firstSubmit, lastDelivery, errors, runQueueWaitMs: runQueueWaitMs('self') - wait0,
  loopDelayMs: { p50: loop.percentile(50) / 1e6, p99: loop.percentile(99) / 1e6, max: loop.max / 1e6 },
};
// A file, not stdout: a pipe may still hold the tail of a large report when we exit.
mkdirSync(job.dir, { recursive: true });
writeFileSync(join(job.dir, 'report.json'), JSON.stringify(report));
await Promise.all(closers.map((c) => c().catch(() => undefined)));
await Promise.all(journals.map((j) => j.close()));
process.exit(0);
