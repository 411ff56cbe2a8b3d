/**
 * `kaoreader bench facility`: N simulated readers (in `procs` worker processes) against one real
 * mosquitto and the facility simulator, at a fixed offered rate. Runs the durable path (outbox
 * + end-to-end facility ack) and then a bare mqtt.js QoS 1 publish loop at the same rate, and
 * reports results/s, p50/p95/p99 latency, CPU and RSS of readers, broker and facility.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../../firmware/core/logger.ts';
import type { WorkerJob, WorkerReport } from './bench-worker.ts';
import { startMosquitto, type RunningMosquitto } from './mosquitto.ts';
import { startFacilitySimulator } from './simulator.ts';

export interface BenchOptions { readers: number; procs: number; ratePerSec: number; durationMs: number; workDir: string; log: Logger; /** facility keeps results in memory only (no fsync before its ack) */ facilityInMemory?: boolean }

const WORKER = fileURLToPath(new URL('./bench-worker.ts', import.meta.url));

function procCpuMs(pid: number | undefined): number {
  if (!pid) return 0;
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return ((Number(f[11]) || 0) + (Number(f[12]) || 0)) * 10; // clock ticks of 10 ms (CLK_TCK 100)
}
function procRssKb(pid: number | undefined, field: 'VmRSS' | 'VmHWM'): number {
  if (!pid) return 0;
  const m = new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m?.[1] ?? 0);
}
const pct = (sorted: number[], p: number): number => Math.round((sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0) * 100) / 100;

function runWorker(job: WorkerJob): Promise<WorkerReport> {
  return new Promise((resolve, reject) => {
    // Many simulated readers share one process here (a real reader has one outbox): give their
    // fsyncs the threads that separate processes would have.
    // KAO_BENCH_WORKER_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") profiles the workers.
    const extra = (process.env['KAO_BENCH_WORKER_NODE_ARGS'] ?? '').split(' ').filter(Boolean);
    const c = spawn(process.execPath, [...extra, '--import', 'tsx', WORKER, JSON.stringify(job)], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, UV_THREADPOOL_SIZE: '64' } });
    let out = '';
    c.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    c.on('exit', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      try {
        resolve(JSON.parse(line) as WorkerReport);
      } catch {
        reject(new Error(`bench worker exited ${code} without a report`));
      }
    });
  });
}

async function phase(mode: 'durable' | 'bare', o: BenchOptions, broker: RunningMosquitto): Promise<Record<string, unknown>> {
  const ids = Array.from({ length: o.readers }, (_, i) => `bench-${mode}-${String(i).padStart(4, '0')}`);
  const groups = Array.from({ length: o.procs }, (_, p) => ids.filter((_, i) => i % o.procs === p));
  const sim = mode === 'durable' ? await startFacilitySimulator({ brokerUrl: broker.url, facilityId: 'clinic-a', log: o.log, ...(o.facilityInMemory ? {} : { dataDir: join(o.workDir, 'facility') }) }) : undefined;
  const simCpu0 = process.cpuUsage();
  const brokerCpu0 = procCpuMs(broker.pid());
  const t0 = Date.now();
  const reports = await Promise.all(groups.map((readers, p) => runWorker({ mode, url: broker.url, readers, dir: join(o.workDir, `outbox-${p}`), ratePerReader: o.ratePerSec / o.readers, durationMs: o.durationMs, drainMs: 20_000 })));
  const wall = Date.now() - t0;
  const brokerCpu = procCpuMs(broker.pid()) - brokerCpu0;
  const simCpu = process.cpuUsage(simCpu0);
  const lat = reports.flatMap((r) => r.latenciesMs).sort((a, b) => a - b);
  const delivered = reports.reduce((n, r) => n + r.delivered, 0);
  const submitted = reports.reduce((n, r) => n + r.submitted, 0);
  const first = Math.min(...reports.map((r) => r.firstSubmit));
  const last = Math.max(...reports.map((r) => r.lastDelivery));
  const readerCpuMs = reports.reduce((n, r) => n + r.cpuUserMs + r.cpuSystemMs, 0);
  const out = {
    mode, readers: o.readers, offeredPerSec: o.ratePerSec, submitted, delivered, errors: reports.reduce((n, r) => n + r.errors, 0),
    resultsPerSec: Math.round((delivered / Math.max(1, last - first)) * 1000),
    latencyMs: { p50: pct(lat, 50), p95: pct(lat, 95), p99: pct(lat, 99), max: pct(lat, 100) },
    readerCpuMsPerResult: Math.round((readerCpuMs / Math.max(1, delivered)) * 1000) / 1000,
    readers_: { cpuPercent: Math.round((readerCpuMs / wall) * 100), maxRssMbPerProcess: Math.round(Math.max(...reports.map((r) => r.maxRssKb)) / 1024), procs: o.procs },
    broker: { cpuPercent: Math.round((brokerCpu / wall) * 100), rssMb: Math.round(procRssKb(broker.pid(), 'VmHWM') / 1024) },
    ...(sim ? { facility: { cpuPercent: Math.round(((simCpu.user + simCpu.system) / 1000 / wall) * 100), stored: sim.db.results.size, duplicates: [...sim.db.counters.values()].reduce((n, c) => n + c.duplicates, 0) } } : {}),
  };
  await sim?.close();
  return out;
}

export async function runFacilityBench(o: BenchOptions): Promise<Record<string, unknown>> {
  const broker = await startMosquitto({ dir: join(o.workDir, 'broker') });
  try {
    const durable = await phase('durable', o, broker);
    const bare = await phase('bare', o, broker);
    const ratio = (bare['readerCpuMsPerResult'] as number) > 0 ? Math.round(((durable['readerCpuMsPerResult'] as number) / (bare['readerCpuMsPerResult'] as number)) * 100) / 100 : null;
    return { machine: { cpus: (await import('node:os')).cpus().length, node: process.version, arch: process.arch }, durable, bare, durableVsBareCpuPerResult: ratio };
  } finally {
    await broker.stop();
  }
}
