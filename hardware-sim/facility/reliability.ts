/**
 * The delivery reliability scenario (Azure IoT Edge style): one reader process submits results
 * through a lossy TCP proxy to a real mosquitto while the broker is killed -9 and restarted,
 * the reader process is killed -9 and restarted, the link is cut (connections reset), then
 * partitioned (bytes held, connections open: acks time out and results are resent), then
 * degraded (latency, jitter, stalls). Where netns + tc netem are available they could replace
 * the proxy; on this kernel `tc qdisc … netem` is unknown (no sch_netem), so the proxy it is. The facility simulator counts. Report: expected (results the reader confirmed
 * durable), received, unmatched (expected but never received: must be 0), duplicates (deduped
 * by the facility), out of order, extra (delivered though the reader died before confirming).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../../firmware/core/logger.ts';
import { LossyProxy } from './lossy-proxy.ts';
import { startMosquitto } from './mosquitto.ts';
import { startFacilitySimulator } from './simulator.ts';

export interface ReliabilityOptions {
  readonly results: number;
  readonly ratePerSec: number;
  readonly workDir: string;
  readonly log: Logger;
  readonly deadlineMs?: number;
}

export interface ReliabilityReport {
  readonly expected: number;
  readonly received: number;
  readonly unmatched: number;
  readonly duplicates: number;
  readonly outOfOrder: number;
  /** Results the facility refused (none: every proof is genuine). */
  readonly refused: number;
  readonly extra: number;
  readonly faults: readonly string[];
  readonly proxy: LossyProxy['stats'];
  readonly readerRestarts: number;
  readonly durationMs: number;
}

const READER = fileURLToPath(new URL('./reader-process.ts', import.meta.url));

export async function runReliability(o: ReliabilityOptions): Promise<ReliabilityReport> {
  const t0 = Date.now();
  const broker = await startMosquitto({ dir: join(o.workDir, 'broker') });
  const proxy = new LossyProxy(broker.port);
  await proxy.start();
  const sim = await startFacilitySimulator({ brokerUrl: broker.url, facilityId: 'clinic-a', log: o.log, dataDir: join(o.workDir, 'facility') });
  const expected = new Set<string>();
  const faults: string[] = [];
  let depth = -1;
  let submittedAll = false;
  let child: ChildProcess | undefined;
  let restarts = 0;
  const launch = (count: number): void => {
    submittedAll = false;
    depth = -1;
    const c = spawn(process.execPath, ['--import', 'tsx', READER, join(o.workDir, 'outbox'), `mqtt://127.0.0.1:${proxy.port}`, 'reader-01', String(count), String(o.ratePerSec)], { stdio: ['pipe', 'pipe', 'inherit'] });
    let buf = '';
    c.stdout?.on('data', (d: Buffer) => {
      buf += d.toString();
      const lines = buf.split('\n');
      buf = lines.pop() ?? '';
      for (const l of lines) {
        if (l.startsWith('stored ')) expected.add(l.slice(7));
        else if (l.startsWith('depth ')) {
          depth = Number(l.split(' ')[1]);
          if (process.env['KAO_REL_TRACE']) process.stderr.write(`${Date.now()} ${l}\n`);
        }
        else if (l === 'submitted') submittedAll = true;
      }
    });
    child = c;
  };
  const missing = async (): Promise<number> => {
    const found = await sim.store.storedResults([...expected]);
    return [...expected].filter((id) => !found.has(id)).length;
  };
  const waitFor = async (cond: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> => {
    const end = Date.now() + ms;
    for (let i = 0; !(await cond()); i++) {
      if (Date.now() > end || i > 1_000_000) throw new Error(`reliability: timed out waiting for ${what} (stored ${expected.size}, depth ${depth}, facility ${await sim.stored()}, missing ${await missing()}, faults ${faults.join(', ')})`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  const at = (fraction: number): Promise<void> => waitFor(() => expected.size >= Math.floor(o.results * fraction), o.deadlineMs ?? 60_000, `${fraction * 100}% submitted`);
  const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
  try {
    launch(o.results);
    await at(0.15);
    faults.push('broker kill -9'); await broker.kill9(); await pause(1200); await broker.restart();
    await at(0.35);
    faults.push('reader kill -9');
    child?.kill('SIGKILL');
    await new Promise((r) => child?.once('exit', r));
    restarts += 1;
    launch(o.results - expected.size);
    await at(0.55);
    faults.push('link cut 2 s'); proxy.cut(); await pause(2000); proxy.restore();
    await at(0.62);
    faults.push('partition 3 s (connections open, bytes held)'); proxy.partition(3000); await pause(3000);
    await at(0.7);
    faults.push('link degraded: 80 ms ± 40 ms, 5 % stalls of 400 ms');
    proxy.restore({ delayMs: 80, jitterMs: 40, stallProbability: 0.05, stallMs: 400 });
    await pause(3000);
    proxy.restore();
    await waitFor(() => submittedAll, o.deadlineMs ?? 60_000, 'all submitted');
    await waitFor(async () => depth === 0 && (await missing()) === 0, o.deadlineMs ?? 60_000, 'outbox drained and all results at the facility');
    const c = sim.readers.get('reader-01');
    const unmatched = await missing();
    const received = await sim.stored();
    return {
      expected: expected.size, received, unmatched, duplicates: c?.duplicates ?? 0, outOfOrder: c?.outOfOrder ?? 0, refused: c?.refused ?? 0,
      extra: received - (expected.size - unmatched), faults, proxy: { ...proxy.stats }, readerRestarts: restarts, durationMs: Date.now() - t0,
    };
  } finally {
    child?.stdin?.end();
    child?.kill('SIGKILL');
    await proxy.close();
    await sim.close();
    await broker.stop();
  }
}
