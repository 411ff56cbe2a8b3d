/** `kaoreader bench facility`: verified, durable results through one mosquitto into the production facility service (SQLite or PostgreSQL); or the reliability scenario. */
import { runFacilityBench } from '../../bench/facility-bench.ts';
import { withWorkDir } from '../../bench/work-dir.ts';
import { runNetnsPartition } from '../../../hardware-sim/facility/partition.ts';
import { runReliability } from '../../bench/facility-reliability.ts';
import { parse, UsageError } from '../../args.ts';
import type { Command } from '../../command.ts';

const int = (v: string | undefined, d: number, name: string): number => {
  const n = v === undefined ? d : Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`${name} must be a positive integer`);
  return n;
};

export const facility: Command = {
  name: 'facility',
  summary: 'facility service: verified results/s and ack latency (SQLite or PostgreSQL); --reliability',
  usage: `kaoreader bench facility [--readers 200] [--rate 2100] [--duration 10] [--procs 2] [--store sqlite|postgres]
                         [--journals 2] [--saturation 4000] [--json] [--keep]
kaoreader bench facility --reliability [--results 10000] [--rate 200]
kaoreader bench facility --partition [--results 2000] [--rate 100]     (root: netns + veth)

Starts one mosquitto on loopback and the production facility service (kaoreader facility serve,
its own process) on SQLite (default) or a private PostgreSQL (--store postgres, Debian's
server, started and removed by the bench). N simulated readers (each with its own fsync'd
outbox) first prepare one proof per result as visits do (qualify, the card signs the challenge,
prove: untimed, reported under "prepare"), then submit --rate accepted results/s in total for
--duration s. Every result's proof is verified by the service before it is stored and acked.
Prints JSON: store, verified (proofs the service verified), results/s, ack latency p50/p95/p99
(outbox append → facility ack), verification CPU per result (the service's own counter), CPU,
RSS and run-queue wait per process, load average; where the tail is made: the 95th-percentile
bounds of the service's own ack time, commit time and batch size (facility.p95Bound), and the
disk's flush time during the run (diskProbe: 16 KB + fdatasync every 50 ms; an ack waits for
its commit's flush). --saturation R (default 0: skip) offers R/s
for 5 s more (targets.sustainedPerSec). results/s cannot exceed the offered --rate:
targets.offeredRateWasTheLimit says when the rig kept up with it; offer more (e.g. --rate 2500)
to show a margin above 2,000/s. The default offer, 2,100/s, is 5 % above the 2,000/s target:
results/s counts from the first submit to the last ack, so an offer of exactly 2,000/s shows
1,997-1,999/s and could never meet it.
--journals: outbox journals per worker process, shared round robin by its simulated readers.
--reliability runs the fault scenario (broker, reader and facility kill -9, link cut and
degraded) and prints the counting report: refusals by code; outOfOrderAtFacilityKill = results
stored after newer ones because the facility died holding them uncommitted (correct under kill
-9: resent, none lost); outOfOrderOther must be 0. --partition pulls a veth cable between a
reader in its own network namespace and the broker for 20 s (keepalive 5 s): last will,
reconnect, nothing lost. --keep: leave the work folder (databases, journals, the broker's files;
otherwise removed when the bench ends).`,
  async run(argv, ctx) {
    const { values } = parse(argv, {
      readers: { type: 'string' },
      rate: { type: 'string' },
      duration: { type: 'string' },
      procs: { type: 'string' },
      json: { type: 'boolean' },
      reliability: { type: 'boolean' },
      partition: { type: 'boolean' },
      store: { type: 'string' },
      results: { type: 'string' },
      saturation: { type: 'string' },
      journals: { type: 'string' },
      keep: { type: 'boolean' },
    });
    if (values.store !== undefined && values.store !== 'sqlite' && values.store !== 'postgres')
      throw new UsageError('--store must be sqlite or postgres');
    const log = ctx.log.child('bench');
    const report = await withWorkDir('kao-bench-facility-', values.keep === true, async (workDir) =>
      values.partition
        ? await runNetnsPartition({
            results: int(values.results, 2000, '--results'),
            ratePerSec: int(values.rate, 100, '--rate'),
            partitionMs: 20_000,
            keepaliveS: 5,
            workDir,
            log,
          })
        : values.reliability
          ? await runReliability({
              results: int(values.results, 10_000, '--results'),
              ratePerSec: int(values.rate, 200, '--rate'),
              workDir,
              deadlineMs: 600_000,
            })
          : await runFacilityBench({
              readers: int(values.readers, 200, '--readers'),
              procs: int(values.procs, 2, '--procs'),
              ratePerSec: int(values.rate, 2100, '--rate'),
              durationMs: int(values.duration, 10, '--duration') * 1000,
              workDir,
              log,
              store: values.store === 'postgres' ? 'postgres' : 'sqlite',
              journalsPerProc: int(values.journals, 2, '--journals'),
              saturationPerSec:
                values.saturation === undefined || values.saturation === '0' ? 0 : int(values.saturation, 4000, '--saturation'),
            }),
    );
    ctx.stdout.write(`${JSON.stringify(report, null, values.json ? 0 : 2)}\n`);
    // A lost, twice stored or (apart from the facility's kill -9) late result fails the run (the counting report says which).
    return 'unmatched' in report &&
      (report.unmatched !== 0 ||
        ('storedTwice' in report && report.storedTwice !== 0) ||
        ('outOfOrderOther' in report && report.outOfOrderOther !== 0))
      ? 1
      : 0;
  },
};
