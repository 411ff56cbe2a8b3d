/**
 * `kaoreader bench facility`: N simulated readers (in `procs` worker processes) against one real
 * mosquitto and the facility simulator, at a fixed offered rate. Runs the durable path (outbox
 * + end-to-end facility ack) and then a bare mqtt.js QoS 1 publish loop at the same rate, and
 * reports results/s, p50/p95/p99 latency (durable: split into the fsync'd append and the
 * publish → ack flight), CPU, RSS and run-queue wait of readers, broker and facility; then,
 * optionally, the durable path offered more than it can take (throughput at saturation).
 * Load is offered evenly: each reader submits on its own schedule, spread over the interval.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../../firmware/core/logger.ts';
import type { WorkerJob, WorkerReport } from './bench-worker.ts';
import { startMosquitto, type RunningMosquitto } from './mosquitto.ts';
import { procCpuMs, procRssKb, runQueueWaitMs } from './proc-stats.ts';
import { startFacilitySimulator, type FacilitySimulator } from './simulator.ts';

export interface BenchOptions {
  readers: number; procs: number; ratePerSec: number; durationMs: number; workDir: string; log: Logger;
  /** facility keeps results in memory only (no fsync before its ack) */
  facilityInMemory?: boolean;
  /** also offer this rate (durable, 5 s) to measure throughput at saturation; 0/absent: skip */
  saturationPerSec?: number;
  /** outbox journals per worker process, shared round robin by its readers (default 1) */
  journalsPerProc?: number;
}

const WORKER = fileURLToPath(new URL('./bench-worker.ts', import.meta.url));

const pct = (sorted: number[], p: number): number => Math.round((sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0) * 100) / 100;

function runWorker(job: WorkerJob): Promise<WorkerReport> {
  return new Promise((resolve, reject) => {
    // KAO_BENCH_WORKER_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") profiles the workers.
    const extra = (process.env['KAO_BENCH_WORKER_NODE_ARGS'] ?? '').split(' ').filter(Boolean);
    const c = spawn(process.execPath, [...extra, '--import', 'tsx', WORKER, JSON.stringify(job)], { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, UV_THREADPOOL_SIZE: process.env['UV_THREADPOOL_SIZE'] ?? '16' } });
    c.on('exit', (code) => {
      try {
        resolve(JSON.parse(readFileSync(join(job.dir, 'report.json'), 'utf8')) as WorkerReport);
      } catch (err) {
        reject(new Error(`bench worker exited ${code} without a report`, { cause: err }));
      }
    });
  });
}

type Mode = 'durable' | 'bare';
const pctl = (values: number[]): { p50: number; p95: number; p99: number; max: number } => {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  return { p50: pct(v, 50), p95: pct(v, 95), p99: pct(v, 99), max: pct(v, 100) };
};
const round = (x: number, d = 3): number => Math.round(x * 10 ** d) / 10 ** d;

async function phase(mode: Mode, o: BenchOptions, broker: RunningMosquitto, ratePerSec: number, durationMs: number, tag: string): Promise<Record<string, unknown>> {
  const ids = Array.from({ length: o.readers }, (_, i) => `bench-${tag}-${String(i).padStart(4, '0')}`);
  const groups = Array.from({ length: o.procs }, (_, p) => ids.filter((_, i) => i % o.procs === p));
  const storeMs: number[] = [];
  const sim = mode === 'durable' ? await startFacilitySimulator({ brokerUrl: broker.url, facilityId: 'clinic-a', log: o.log, onStored: (ms) => storeMs.push(ms), ...(o.facilityInMemory ? {} : { dataDir: join(o.workDir, `facility-${tag}`) }) }) : undefined;
  try {
    return await measure(mode, o, broker, ratePerSec, durationMs, tag, groups, sim, storeMs);
  } finally {
    await sim?.close({ endSession: true }); // or the broker queues the next phase's results for it
  }
}

async function measure(mode: Mode, o: BenchOptions, broker: RunningMosquitto, ratePerSec: number, durationMs: number, tag: string, groups: string[][], sim: FacilitySimulator | undefined, storeMs: number[]): Promise<Record<string, unknown>> {
  const simCpu0 = process.cpuUsage();
  const simLoop = monitorEventLoopDelay({ resolution: 5 });
  simLoop.enable();
  const simWait0 = runQueueWaitMs('self');
  const brokerCpu0 = procCpuMs(broker.pid());
  const brokerWait0 = runQueueWaitMs(broker.pid());
  const t0 = Date.now();
  const reports = await Promise.all(groups.map((readers, p) => runWorker({ mode, url: broker.url, readers, dir: join(o.workDir, `outbox-${tag}-${p}`), ratePerReader: ratePerSec / o.readers, durationMs, drainMs: 20_000, journals: o.journalsPerProc ?? 1 })));
  const wall = Date.now() - t0;
  const brokerCpu = procCpuMs(broker.pid()) - brokerCpu0;
  const brokerWait = runQueueWaitMs(broker.pid()) - brokerWait0;
  const simCpu = process.cpuUsage(simCpu0);
  const simWait = runQueueWaitMs('self') - simWait0;
  simLoop.disable();
  const delivered = reports.reduce((n, r) => n + r.delivered, 0);
  const submitted = reports.reduce((n, r) => n + r.submitted, 0);
  const first = Math.min(...reports.map((r) => r.firstSubmit));
  const last = Math.max(...reports.map((r) => r.lastDelivery));
  const readerCpuMs = reports.reduce((n, r) => n + r.cpuUserMs + r.cpuSystemMs, 0);
  const perResult = (ms: number): number => round(ms / Math.max(1, delivered));
  const out = {
    mode, readers: o.readers, offeredPerSec: ratePerSec, durationS: durationMs / 1000, submitted, delivered, errors: reports.reduce((n, r) => n + r.errors, 0),
    /** delivered ÷ (last ack − first submit): at saturation, what the system sustains */
    resultsPerSec: Math.round((delivered / Math.max(1, last - first)) * 1000),
    latencyMs: pctl(reports.flatMap((r) => r.latenciesMs)),
    ...(mode === 'durable' ? { appendMs: pctl(reports.flatMap((r) => r.appendMs)), flightMs: pctl(reports.flatMap((r) => r.flightMs)) } : {}),
    readerCpuMsPerResult: perResult(readerCpuMs),
    readers_: {
      cpuPercent: Math.round((readerCpuMs / wall) * 100), maxRssMbPerProcess: Math.round(Math.max(...reports.map((r) => r.maxRssKb)) / 1024), procs: o.procs,
      runQueueWaitMsPerResult: perResult(reports.reduce((n, r) => n + r.runQueueWaitMs, 0)),
      loopDelayMs: { p99: round(Math.max(...reports.map((r) => r.loopDelayMs.p99)), 1), max: round(Math.max(...reports.map((r) => r.loopDelayMs.max)), 1) },
    },
    broker: { cpuPercent: Math.round((brokerCpu / wall) * 100), rssMb: Math.round(procRssKb(broker.pid(), 'VmHWM') / 1024), runQueueWaitMsPerResult: perResult(brokerWait) },
    ...(sim ? { facility: {
      cpuPercent: Math.round(((simCpu.user + simCpu.system) / 1000 / wall) * 100), runQueueWaitMsPerResult: perResult(simWait),
      storeMs: pctl(storeMs), loopDelayMs: { p99: round(simLoop.percentile(99) / 1e6, 1), max: round(simLoop.max / 1e6, 1) }, stored: sim.db.results.size, duplicates: [...sim.db.counters.values()].reduce((n, c) => n + c.duplicates, 0) } } : {}),
  };
  return out;
}

/** Load average of the machine (1, 5, 15 min): the neighbours' share of the CPUs. */
const loadAvg = async (): Promise<number[]> => (await import('node:os')).loadavg().map((x) => round(x, 2));

export async function runFacilityBench(o: BenchOptions): Promise<Record<string, unknown>> {
  const broker = await startMosquitto({ dir: join(o.workDir, 'broker') });
  try {
    const loadBefore = await loadAvg();
    const durable = await phase('durable', o, broker, o.ratePerSec, o.durationMs, 'durable');
    const bare = await phase('bare', o, broker, o.ratePerSec, o.durationMs, 'bare');
    // Throughput at saturation, separately: offer more than the target and see what is delivered.
    const saturation = o.saturationPerSec ? await phase('durable', o, broker, o.saturationPerSec, Math.min(o.durationMs, 5000), 'saturation') : undefined;
    const ratio = (bare['readerCpuMsPerResult'] as number) > 0 ? round((durable['readerCpuMsPerResult'] as number) / (bare['readerCpuMsPerResult'] as number), 2) : null;
    return {
      machine: { cpus: (await import('node:os')).cpus().length, node: process.version, arch: process.arch, loadAvgBefore: loadBefore, loadAvgAfter: await loadAvg() },
      durable, bare, durableVsBareCpuPerResult: ratio, ...(saturation ? { saturation } : {}),
    };
  } finally {
    await broker.stop();
  }
}
