/**
 * `kaoreader bench facility`: N simulated readers (in `procs` worker processes) against one real
 * mosquitto and the production facility service (`kaoreader facility serve`, its own process)
 * on SQLite or PostgreSQL, every accepted result's proof verified there. Readers first prepare
 * their proofs as visits do (qualify → sign → prove; untimed, reported), then submit at a fixed
 * offered rate. Reports results/s, ack latency (outbox append → the facility's ack, after its
 * verification and commit), proofs verified and their CPU per result (the service's own
 * counters), CPU/RSS/run-queue wait of readers, broker and service, and the load average.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { loadavg, cpus } from 'node:os';
import { basename, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../../firmware/core/logger.ts';
import { loadTestPki } from '../../hardware-sim/card/test-pki.ts';
import { writeTestCrl } from '../../hardware-sim/card/test-crl.ts';
import type { WorkerJob, WorkerReport } from './facility-bench-worker.ts';
import { freePort, startMosquitto, type RunningMosquitto } from '../../hardware-sim/facility/mosquitto.ts';
import { startPostgres, type RunningPostgres } from '../../hardware-sim/facility/postgres.ts';
import { procCpuMs, procRssKb, procSyscalls, runQueueWaitMs, threadCpuMs, treeCpuMs, type ThreadKind } from './proc-stats.ts';
import { bucketQuantile } from './histogram-quantile.ts';
import { BUCKETS } from '../../facility/metrics/metrics.ts';
import { startDiskProbe } from './disk-probe.ts';
import { ackBreakdown } from './ack-breakdown.ts';

export interface BenchOptions {
  readers: number;
  procs: number;
  ratePerSec: number;
  durationMs: number;
  workDir: string;
  log: Logger;
  store: 'sqlite' | 'postgres';
  /** outbox journals per worker process, shared round robin by its readers (default 1) */
  journalsPerProc?: number;
  /** also offer this rate for 5 s to see the throughput at saturation; 0/absent: skip */
  saturationPerSec?: number;
}

const WORKER = fileURLToPath(new URL('./facility-bench-worker.ts', import.meta.url));
const CLI = fileURLToPath(new URL('../../bin/kaoreader.js', import.meta.url));

const pct = (sorted: number[], p: number): number =>
  Math.round((sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0) * 100) / 100;
const pctl = (values: number[]): { p50: number; p95: number; p99: number; max: number } => {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  return { p50: pct(v, 50), p95: pct(v, 95), p99: pct(v, 99), max: pct(v, 100) };
};
const round = (x: number, d = 3): number => Math.round(x * 10 ** d) / 10 ** d;

interface Service {
  readonly pid: number;
  readonly metricsPort: number;
  stop(): Promise<void>;
}

/** The database server's pid (PostgreSQL: its CPU is in other processes than the service's). */
type DbPid = number | undefined;

/** The production service as its own process, configured like facility IT would (JSON config). */
async function startService(
  o: BenchOptions,
  broker: RunningMosquitto,
  store: { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string },
): Promise<Service> {
  const pki = await loadTestPki();
  const caFile = join(o.workDir, 'jpki-user-auth-ca.der');
  await writeFile(caFile, pki.authCa.certificate);
  const crlFile = await writeTestCrl(pki, join(o.workDir, 'jpki-user-auth.crl'));
  const metricsPort = await freePort();
  const configFile = join(o.workDir, 'facility.json');
  await writeFile(
    configFile,
    JSON.stringify(
      {
        facilityId: 'clinic-a',
        broker: { url: broker.url },
        store,
        trust: { jpkiUserAuthCa: [caFile], crl: [{ file: crlFile }] },
        metrics: { port: metricsPort },
        log: { level: 'warn', audit: join(o.workDir, 'audit.jsonl') },
      },
      null,
      2,
    ),
  );
  // KAO_BENCH_SERVICE_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof", or "--trace-gc": its lines
  // go to <workDir>/service.out) profiles the service.
  const extra = (process.env['KAO_BENCH_SERVICE_NODE_ARGS'] ?? '').split(' ').filter(Boolean);
  const child: ChildProcess = spawn(process.execPath, [...extra, CLI, 'facility', 'serve', '--config', configFile], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const errLog = createWriteStream(join(o.workDir, 'service.log'));
  child.stderr?.pipe(errLog);
  child.stdout?.pipe(createWriteStream(join(o.workDir, 'service.out'))); // e.g. --trace-gc's lines
  await new Promise<void>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    rl.on('line', (l) => {
      if (l.includes('"ready":true')) resolve();
    });
    child.once('exit', (code) =>
      reject(new Error(`facility service exited ${code} before it was ready (see ${join(o.workDir, 'service.log')})`)),
    );
  });
  return {
    pid: child.pid ?? 0,
    metricsPort,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** One counter or summed family from the service's /metrics. */
async function scrape(port: number): Promise<(name: string, labels?: string | readonly string[]) => number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return (name, labels) =>
    text
      .split('\n')
      .filter((l) => l.startsWith(name) && [labels ?? []].flat().every((x) => l.includes(x)) && !l.startsWith('#'))
      .filter((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`))
      .reduce((n, l) => n + (Number(l.split(' ').pop()) || 0), 0);
}

interface Worker {
  readonly child: ChildProcess;
  readonly prepared: Promise<void>;
  readonly done: Promise<WorkerReport>;
}

function startWorker(job: WorkerJob): Worker {
  const extra = (process.env['KAO_BENCH_WORKER_NODE_ARGS'] ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...extra, '--import', 'tsx', WORKER, JSON.stringify(job)], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, UV_THREADPOOL_SIZE: process.env['UV_THREADPOOL_SIZE'] ?? '16' },
  });
  const out = createWriteStream(join(job.dir, '..', `${basename(job.dir)}.out`)); // e.g. --trace-gc's lines
  const prepared = new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (l) => {
      if (l === 'prepared') resolve();
      else out.write(`${l}\n`);
    });
    child.once('exit', (code) => reject(new Error(`bench worker exited ${code} while preparing`)));
  });
  const done = new Promise<WorkerReport>((resolve, reject) => {
    child.once('exit', (code) => {
      readFile(join(job.dir, 'report.json'), 'utf8').then(
        (t) => resolve(JSON.parse(t) as WorkerReport),
        (err: unknown) => reject(new Error(`bench worker exited ${code} without a report`, { cause: err })),
      );
    });
  });
  prepared.catch(() => undefined);
  return { child, prepared, done };
}

async function phase(
  o: BenchOptions,
  broker: RunningMosquitto,
  service: Service,
  dbPid: DbPid,
  ratePerSec: number,
  durationMs: number,
  tag: string,
): Promise<Record<string, unknown>> {
  const ids = Array.from({ length: o.readers }, (_, i) => `bench-${tag}-${String(i).padStart(4, '0')}`);
  const groups = Array.from({ length: o.procs }, (_, p) => ids.filter((_, i) => i % o.procs === p));
  const proofsPerReader = Math.ceil((ratePerSec / o.readers) * (durationMs / 1000)) + 1;
  const workers = groups.map((readers, p) =>
    startWorker({
      url: broker.url,
      readers,
      dir: join(o.workDir, `outbox-${tag}-${p}`),
      ratePerReader: ratePerSec / o.readers,
      durationMs,
      drainMs: 30_000,
      journals: o.journalsPerProc ?? 1,
      proofsPerReader,
    }),
  );
  await Promise.all(workers.map((w) => w.prepared));
  const before = await scrape(service.metricsPort);
  const serviceCpu0 = procCpuMs(service.pid);
  const serviceThreads0 = threadCpuMs(service.pid);
  const serviceWait0 = runQueueWaitMs(service.pid);
  const brokerCpu0 = procCpuMs(broker.pid());
  const serviceIo0 = procSyscalls(service.pid);
  const brokerIo0 = procSyscalls(broker.pid());
  const dbCpu0 = treeCpuMs(dbPid);
  const load0 = loadavg().map((x) => round(x, 2));
  const disk = startDiskProbe(o.workDir);
  const t0 = Date.now();
  for (const w of workers) w.child.stdin?.write('go\n');
  const reports = await Promise.all(workers.map((w) => w.done));
  const wall = Date.now() - t0;
  const diskProbe = await disk.stop();
  const after = await scrape(service.metricsPort);
  const serviceCpu = procCpuMs(service.pid) - serviceCpu0;
  const serviceThreads = threadCpuMs(service.pid);
  const brokerCpu = procCpuMs(broker.pid()) - brokerCpu0;
  const serviceIo = procSyscalls(service.pid);
  const brokerIo = procSyscalls(broker.pid());
  const dbCpu = treeCpuMs(dbPid) - dbCpu0;
  const delivered = reports.reduce((n, r) => n + r.delivered, 0);
  const first = Math.min(...reports.map((r) => r.firstSubmit));
  const last = Math.max(...reports.map((r) => r.lastDelivery));
  const readerCpuMs = reports.reduce((n, r) => n + r.cpuUserMs + r.cpuSystemMs, 0);
  const verified = after('kaoreader_facility_proofs_verified_total') - before('kaoreader_facility_proofs_verified_total');
  const verifyCpuS = after('kaoreader_facility_verify_cpu_seconds_total') - before('kaoreader_facility_verify_cpu_seconds_total');
  const perResult = (ms: number): number => round(ms / Math.max(1, delivered));
  return {
    store: o.store,
    readers: o.readers,
    offeredPerSec: ratePerSec,
    durationS: durationMs / 1000,
    /** the readers' outbox journals per worker process */
    journals: o.journalsPerProc ?? 1,
    submitted: reports.reduce((n, r) => n + r.submitted, 0),
    delivered,
    refused: reports.reduce((n, r) => n + r.refused, 0),
    errors: reports.reduce((n, r) => n + r.errors, 0),
    /** still in the readers' outboxes (unacknowledged) when the drain time ran out: not lost, but not measured */
    undelivered: reports.reduce((n, r) => n + r.submitted - r.delivered - r.refused - r.errors, 0),
    /** proofs the service verified in this phase (every accepted result) */
    verified,
    storedAccepted:
      after('kaoreader_facility_results_total', 'outcome="accepted",fate="stored"') -
      before('kaoreader_facility_results_total', 'outcome="accepted",fate="stored"'),
    /** delivered ÷ (last ack − first submit) */
    resultsPerSec: Math.round((delivered / Math.max(1, last - first)) * 1000),
    ackLatencyMs: pctl(reports.flatMap((r) => r.latenciesMs)),
    appendMs: pctl(reports.flatMap((r) => r.appendMs)),
    flightMs: pctl(reports.flatMap((r) => r.flightMs)),
    /** per result: append, flight and the rest, for all and for the tail (≥ p95); p95 per second of the run */
    ackBreakdown: ackBreakdown(reports.flatMap((r) => r.perResult)),
    verifyCpuMsPerResult: round((verifyCpuS * 1000) / Math.max(1, verified), 4),
    facility: {
      pid: service.pid,
      cpuPercent: Math.round((serviceCpu / wall) * 100),
      cpuMsPerResult: perResult(serviceCpu),
      /**
       * The same by thread kind, user and system: main = the event loop (MQTT, decoding,
       * verification, acks), workers = the SQLite store and checkpointer threads, gc = V8's
       * helpers, io = libuv's pool.
       */
      cpuMsPerResultByThread: Object.fromEntries(
        (Object.keys(serviceThreads) as ThreadKind[]).map((k) => [
          k,
          {
            user: perResult(serviceThreads[k].user - serviceThreads0[k].user),
            system: perResult(serviceThreads[k].system - serviceThreads0[k].system),
          },
        ]),
      ),
      rssMb: Math.round(procRssKb(service.pid, 'VmHWM') / 1024),
      runQueueWaitMsPerResult: perResult(runQueueWaitMs(service.pid) - serviceWait0),
      /** read- and write-class system calls per result (its broker socket, the store, the audit file) */
      syscallsPerResult: { reads: perResult(serviceIo.reads - serviceIo0.reads), writes: perResult(serviceIo.writes - serviceIo0.writes) },
      commits: after('kaoreader_facility_commit_seconds_count') - before('kaoreader_facility_commit_seconds_count'),
      /** mean time the store took per commit (transaction + fsync; the service's own histogram) */
      commitMsMean: round(
        (1000 * (after('kaoreader_facility_commit_seconds_sum') - before('kaoreader_facility_commit_seconds_sum'))) /
          Math.max(1, after('kaoreader_facility_commit_seconds_count') - before('kaoreader_facility_commit_seconds_count')),
        2,
      ),
      /**
       * The service's part of an ack (its own histogram, result received → ack handed to the
       * broker: commit-queue wait, reads + verification, the commit): mean and the share within
       * 50 ms. The rest of `flightMs` is the MQTT path both ways and the readers' event loops.
       */
      serviceAckMs: {
        mean: round(
          (1000 * (after('kaoreader_facility_ack_seconds_sum') - before('kaoreader_facility_ack_seconds_sum'))) /
            Math.max(1, after('kaoreader_facility_ack_seconds_count') - before('kaoreader_facility_ack_seconds_count')),
          2,
        ),
        within50msShare: round(
          (after('kaoreader_facility_ack_seconds_bucket', 'le="0.05"') - before('kaoreader_facility_ack_seconds_bucket', 'le="0.05"')) /
            Math.max(1, after('kaoreader_facility_ack_seconds_count') - before('kaoreader_facility_ack_seconds_count')),
        ),
      },
      /**
       * Upper bounds of the buckets (the service's histograms) holding the 95th percentile of its
       * part of an ack, of a commit's time, and of the jobs per commit: where the tail is made
       * (null: beyond the last bucket, 2.5 s for an ack, 1 s for a commit).
       */
      p95Bound: {
        serviceAckMs: 1000 * bucketQuantile(before, after, 'kaoreader_facility_ack_seconds', BUCKETS.ackSeconds, 0.95),
        commitMs: 1000 * bucketQuantile(before, after, 'kaoreader_facility_commit_seconds', BUCKETS.commitSeconds, 0.95),
        batch: bucketQuantile(before, after, 'kaoreader_facility_batch_size', BUCKETS.batchSize, 0.95),
        prepareMs:
          1000 * bucketQuantile(before, after, 'kaoreader_facility_batch_stage_seconds', BUCKETS.stageSeconds, 0.95, 'stage="prepare"'),
        waitCommitMs:
          1000 * bucketQuantile(before, after, 'kaoreader_facility_batch_stage_seconds', BUCKETS.stageSeconds, 0.95, 'stage="wait-commit"'),
      },
      /** the service's event-loop delay over the run (5 ms sampling): an ack waits behind any long turn */
      eventLoopDelayMs: {
        p99: round(1000 * after('kaoreader_facility_event_loop_delay_seconds', 'stat="p99"'), 1),
        max: round(1000 * after('kaoreader_facility_event_loop_delay_seconds', 'stat="max"'), 1),
      },
      /** jobs per commit (mean) */
      batchMean: round(
        (after('kaoreader_facility_batch_size_sum') - before('kaoreader_facility_batch_size_sum')) /
          Math.max(1, after('kaoreader_facility_batch_size_count') - before('kaoreader_facility_batch_size_count')),
        1,
      ),
    },
    readers_: {
      cpuMsPerResult: perResult(readerCpuMs),
      /** of which in user and in system (kernel) mode: a reader's sockets, journal writes and fsyncs are system time */
      cpuMsPerResultSplit: {
        user: perResult(reports.reduce((n, r) => n + r.cpuUserMs, 0)),
        system: perResult(reports.reduce((n, r) => n + r.cpuSystemMs, 0)),
      },
      cpuPercent: Math.round((readerCpuMs / wall) * 100),
      maxRssMbPerProcess: Math.round(Math.max(...reports.map((r) => r.maxRssKb)) / 1024),
      procs: o.procs,
      runQueueWaitMsPerResult: perResult(reports.reduce((n, r) => n + r.runQueueWaitMs, 0)),
      /** durable outbox writes per result (group commit: < 1; each is a flush of the disk the service commits on too) */
      journalSyncsPerResult: perResult(reports.reduce((n, r) => n + r.journalSyncs, 0)),
      loopDelayMs: {
        p99: round(Math.max(...reports.map((r) => r.loopDelayMs.p99)), 1),
        max: round(Math.max(...reports.map((r) => r.loopDelayMs.max)), 1),
      },
    },
    broker: {
      cpuPercent: Math.round((brokerCpu / wall) * 100),
      cpuMsPerResult: perResult(brokerCpu),
      rssMb: Math.round(procRssKb(broker.pid(), 'VmHWM') / 1024),
      syscallsPerResult: { reads: perResult(brokerIo.reads - brokerIo0.reads), writes: perResult(brokerIo.writes - brokerIo0.writes) },
    },
    ...(dbPid ? { postgresServer: { cpuPercent: Math.round((dbCpu / wall) * 100), cpuMsPerResult: perResult(dbCpu) } } : {}),
    /**
     * CPU of every process of the run per delivered result (service + readers + broker + database
     * server), and the rate that cost allows on the machine's cores with nothing else running:
     * what the run would show on a quiet machine if CPU is the limit (latency aside).
     */
    cpuMsPerResult: perResult(serviceCpu + readerCpuMs + brokerCpu + dbCpu),
    quietCapacityPerSec: Math.round(
      (cpus().length * 1000) / Math.max(0.001, (serviceCpu + readerCpuMs + brokerCpu + dbCpu) / Math.max(1, delivered)),
    ),
    serviceQuietCapacityPerSec: Math.round(1000 / Math.max(0.001, serviceCpu / Math.max(1, delivered))),
    prepare: {
      proofs: reports.reduce((n, r) => n + r.prepare.proofs, 0),
      seconds: round(Math.max(...reports.map((r) => r.prepare.ms)) / 1000, 1),
      readerCpuS: round(reports.reduce((n, r) => n + r.prepare.cpuMs, 0) / 1000, 1),
    },
    /** the disk's own flush time meanwhile (16 KB append + fdatasync every 50 ms): an ack cannot beat its commit's flush */
    diskProbe,
    loadAvg: { before: load0, after: loadavg().map((x) => round(x, 2)) },
  };
}

export async function runFacilityBench(o: BenchOptions): Promise<Record<string, unknown>> {
  const broker = await startMosquitto({ dir: join(o.workDir, 'broker') });
  let pg: RunningPostgres | undefined;
  let service: Service | undefined;
  try {
    if (o.store === 'postgres') pg = await startPostgres(); // its own folder: the postgres user must reach it
    service = await startService(
      o,
      broker,
      pg ? { kind: 'postgres', url: pg.url } : { kind: 'sqlite', path: join(o.workDir, 'facility.db') },
    );
    const dbPid = pg ? await pg.serverPid() : undefined;
    const main = await phase(o, broker, service, dbPid, o.ratePerSec, o.durationMs, 'main');
    const saturation = o.saturationPerSec
      ? await phase(o, broker, service, dbPid, o.saturationPerSec, Math.min(o.durationMs, 5000), 'saturation')
      : undefined;
    const lat = main['ackLatencyMs'] as { p95: number };
    const rate = main['resultsPerSec'] as number;
    return {
      machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', node: process.version, arch: process.arch },
      ...main,
      targets: {
        resultsPerSec: 2000,
        p95AckMs: 50,
        met: rate >= 2000 && lat.p95 <= 50 && main['undelivered'] === 0,
        everyAcceptedVerified: main['verified'] === main['storedAccepted'],
        /**
         * The rig kept up with what was offered (≥ 98 %): results/s then shows the offered rate, not
         * a maximum; offer more (--rate) or add --saturation R to see how far it goes.
         */
        offeredRateWasTheLimit: rate >= 0.98 * o.ratePerSec,
        ...(saturation ? { sustainedPerSec: saturation['resultsPerSec'] as number, sustainedOfferedPerSec: o.saturationPerSec } : {}),
      },
      ...(saturation ? { saturation } : {}),
    };
  } finally {
    await service?.stop();
    await pg?.stop();
    await broker.stop();
  }
}
