/** `kaoreader bench facility`: durable results through one mosquitto vs a bare mqtt.js QoS 1 loop; or the reliability scenario. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runFacilityBench } from '../../../hardware-sim/facility/bench.ts';
import { runNetnsPartition } from '../../../hardware-sim/facility/partition.ts';
import { runReliability } from '../../../hardware-sim/facility/reliability.ts';
import { parse, UsageError } from '../../args.ts';
import type { Command } from '../../command.ts';

const int = (v: string | undefined, d: number, name: string): number => {
  const n = v === undefined ? d : Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`${name} must be a positive integer`);
  return n;
};

export const facility: Command = {
  name: 'facility',
  summary: 'facility link: durable results/s and ack latency vs bare mqtt.js; --reliability',
  usage: `kaoreader bench facility [--readers 200] [--rate 2000] [--duration 10] [--procs 2] [--saturation 4000] [--journals 2] [--json]
kaoreader bench facility --reliability [--results 10000] [--rate 200]
kaoreader bench facility --partition [--results 2000] [--rate 100]     (root: netns + veth)

Starts one mosquitto on loopback and the facility simulator; N simulated readers (each with
its own fsync'd outbox) submit --rate results/s in total for --duration s. Then the same load
as bare mqtt.js QoS 1 publishes. Then (--saturation R, default 2× --rate, 0 to skip) the
durable path offered R results/s for 5 s: the throughput it sustains. Prints JSON: results/s,
p50/p95 latency, CPU/RSS and run-queue wait (time spent waiting for a CPU) per process.
--journals: outbox journals per worker process, shared round robin by its simulated readers
(each one group commit at a time; a real reader has one).
--facility-memory: the facility acks without its own fsync (to see what that costs).
--reliability runs the fault scenario (broker and reader kill -9, link cut and degraded) and
prints the counting report. --partition pulls a veth cable between a reader in its own network
namespace and the broker for 20 s (keepalive 5 s): last will, reconnect, nothing lost.`,
  async run(argv, ctx) {
    const { values } = parse(argv, { readers: { type: 'string' }, rate: { type: 'string' }, duration: { type: 'string' }, procs: { type: 'string' }, json: { type: 'boolean' }, reliability: { type: 'boolean' }, partition: { type: 'boolean' }, 'facility-memory': { type: 'boolean' }, results: { type: 'string' }, saturation: { type: 'string' }, journals: { type: 'string' } });
    const workDir = mkdtempSync(join(tmpdir(), 'kao-bench-facility-'));
    const log = ctx.log.child('bench');
    const report = values.partition
      ? await runNetnsPartition({ results: int(values.results, 2000, '--results'), ratePerSec: int(values.rate, 100, '--rate'), partitionMs: 20_000, keepaliveS: 5, workDir, log })
      : values.reliability
      ? await runReliability({ results: int(values.results, 10_000, '--results'), ratePerSec: int(values.rate, 200, '--rate'), workDir, deadlineMs: 600_000 })
      : await runFacilityBench({
        readers: int(values.readers, 200, '--readers'), procs: int(values.procs, 2, '--procs'), ratePerSec: int(values.rate, 2000, '--rate'),
        durationMs: int(values.duration, 10, '--duration') * 1000, workDir, log, facilityInMemory: values['facility-memory'] ?? false,
        journalsPerProc: int(values.journals, 2, '--journals'),
        saturationPerSec: values.saturation === '0' ? 0 : int(values.saturation, 2 * int(values.rate, 2000, '--rate'), '--saturation'),
      });
    ctx.stdout.write(`${JSON.stringify(report, null, values.json ? 0 : 2)}\n`);
    // A lost result fails the run (the counting report says which).
    return 'unmatched' in report && report.unmatched !== 0 ? 1 : 0;
  },
};
