/**
 * The delivery reliability scenario (Azure IoT Edge style): one reader process submits results
 * through a lossy TCP proxy to a real mosquitto and a facility process, while the broker is
 * killed -9 and restarted, the reader process is killed -9 and restarted, the facility process
 * is killed -9 and restarted, the link is cut (connections reset), then partitioned (bytes held,
 * connections open: acks time out and results are resent), then degraded (latency, jitter,
 * stalls). Where netns + tc netem are available they could replace the proxy; on this kernel
 * `tc qdisc … netem` is unknown (no sch_netem), so the proxy it is.
 *
 * The run ends when the reader's outbox is empty (every result acknowledged) or at the deadline,
 * never by waiting for the facility to have everything: then the facility is stopped and its
 * store is read back and counted against what the reader confirmed (delivery-count.ts). A lost
 * result shows as `unmatched`, not as a timeout; a result the facility refused, also under
 * `refusals` with its code. Order is kept except across the facility's kill -9, which may store a
 * few results after newer ones (`outOfOrderAtFacilityKill`, see lateAtFacilityKill); any other
 * late arrival is `outOfOrderOther` (must be 0).
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { countDelivery, lateAtFacilityKill, type DeliveryCount } from '../../hardware-sim/facility/delivery-count.ts';
import { openFacilityStore } from '../../facility/store/open-store.ts';
import { LineChild } from '../../hardware-sim/facility/line-child.ts';
import { LossyProxy } from '../../hardware-sim/facility/lossy-proxy.ts';
import { startMosquitto } from '../../hardware-sim/facility/mosquitto.ts';

export interface ReliabilityOptions {
  readonly results: number;
  readonly ratePerSec: number;
  readonly workDir: string;
  /** Upper bound for each phase and for draining the outbox at the end (default 60 s). */
  readonly deadlineMs?: number;
  /** The facility program (default facility-process.ts; the test of the test runs a broken one). */
  readonly facilityProgram?: string;
}

export interface ReliabilityReport extends DeliveryCount {
  /** Kept for the bench's JSON: the same as `sent`. */
  readonly expected: number;
  /** The reader's outbox was empty (all acknowledged) before the deadline. */
  readonly drained: boolean;
  readonly faults: readonly string[];
  readonly proxy: LossyProxy['stats'];
  /** Results the facility refused for good, by code (each is also `unmatched`: not stored as a result). */
  readonly refusals: Readonly<Record<string, number>>;
  /**
   * Of `outOfOrder`, the results sent within LATE_WINDOW of the facility's kill -9: the facility
   * had taken them from the broker but not committed them, so they died with it and were resent
   * after newer ones the broker had queued for it (lateAtFacilityKill). Correct under kill -9:
   * nothing lost or stored twice; ordering is not kept across a facility crash.
   */
  readonly outOfOrderAtFacilityKill: number;
  /** `outOfOrder` that the facility's kill does not explain: must be 0. */
  readonly outOfOrderOther: number;
  readonly readerRestarts: number;
  readonly facilityRestarts: number;
  readonly durationMs: number;
}

/** The reader's delivery window (32 in flight) twice: what it can have published around the kill. */
export const LATE_WINDOW = 64;

const READER = fileURLToPath(new URL('../../hardware-sim/facility/reader-process.ts', import.meta.url));
const FACILITY = fileURLToPath(new URL('../../hardware-sim/facility/facility-process.ts', import.meta.url));

export async function runReliability(o: ReliabilityOptions): Promise<ReliabilityReport> {
  const t0 = Date.now();
  const deadline = o.deadlineMs ?? 60_000;
  const broker = await startMosquitto({ dir: join(o.workDir, 'broker') });
  const proxy = new LossyProxy(broker.port);
  await proxy.start();
  const facilityDir = join(o.workDir, 'facility');
  const sent: string[] = [];
  const faults: string[] = [];
  let depth = -1;
  let submittedAll = false;
  let ready = false;
  let reader: LineChild | undefined;
  let facility: LineChild | undefined;
  let restarts = 0;
  let facilityRestarts = 0;
  let facilityKilledAt: number | undefined;
  const refusals: Record<string, number> = {};
  const launchReader = (count: number): void => {
    submittedAll = false;
    depth = -1;
    reader = new LineChild(
      READER,
      [join(o.workDir, 'outbox'), `mqtt://127.0.0.1:${proxy.port}`, 'reader-01', String(count), String(o.ratePerSec)],
      (l) => {
        if (l.startsWith('stored ')) sent.push(l.slice(7));
        else if (l.startsWith('depth ')) depth = Number(l.split(' ')[1]);
        else if (l === 'submitted') submittedAll = true;
        else if (l.startsWith('refused ')) {
          const code = l.split(' ')[2] ?? 'UNKNOWN';
          refusals[code] = (refusals[code] ?? 0) + 1;
        }
      },
    );
  };
  const waitFor = async (cond: () => boolean, ms: number): Promise<boolean> => {
    const end = Date.now() + ms;
    while (!cond()) {
      if (Date.now() > end) return false;
      await new Promise((r) => setTimeout(r, 20));
    }
    return true;
  };
  const must = async (cond: () => boolean, what: string): Promise<void> => {
    if (!(await waitFor(cond, deadline)))
      throw new Error(`reliability: timed out waiting for ${what} (sent ${sent.length}, depth ${depth}, faults ${faults.join(', ')})`);
  };
  const launchFacility = async (): Promise<void> => {
    ready = false;
    facility = new LineChild(o.facilityProgram ?? FACILITY, [broker.url, facilityDir, 'clinic-a'], (l) => {
      if (l === 'ready') ready = true;
    });
    await must(() => ready, 'the facility to subscribe');
  };
  const at = (fraction: number): Promise<void> =>
    must(() => sent.length >= Math.floor(o.results * fraction), `${fraction * 100}% submitted`);
  const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
  let drained = false;
  try {
    await launchFacility();
    launchReader(o.results);
    await at(0.15);
    faults.push('broker kill -9');
    await broker.kill9();
    await pause(1200);
    await broker.restart();
    await at(0.3);
    faults.push('reader kill -9');
    await reader?.kill9();
    restarts += 1;
    launchReader(o.results - sent.length);
    await at(0.45);
    faults.push('facility kill -9');
    facilityKilledAt = sent.length;
    await facility?.kill9();
    await pause(1000);
    facilityRestarts += 1;
    await launchFacility();
    await at(0.55);
    faults.push('link cut 2 s');
    proxy.cut();
    await pause(2000);
    proxy.restore();
    await at(0.62);
    faults.push('partition 3 s (connections open, bytes held)');
    proxy.partition(3000);
    await pause(3000);
    await at(0.7);
    faults.push('link degraded: 80 ms ± 40 ms, 5 % stalls of 400 ms');
    proxy.restore({ delayMs: 80, jitterMs: 40, stallProbability: 0.05, stallMs: 400 });
    await pause(3000);
    proxy.restore();
    await must(() => submittedAll, 'all submitted');
    // Done when the outbox is empty: every result acknowledged by the facility, stored or not.
    drained = await waitFor(() => depth === 0, deadline);
  } finally {
    await reader?.end(2000);
    await facility?.end();
    await proxy.close();
    await broker.stop();
  }
  // What the facility stored, read back from its database after it stopped (oldest first).
  const store = await openFacilityStore({ kind: 'sqlite', dir: facilityDir });
  const stored = (await store.recentResults('clinic-a', 10_000_000)).map((r) => r.id).reverse();
  await store.close();
  const count = countDelivery(sent, stored);
  const atKill = lateAtFacilityKill(count, facilityKilledAt, LATE_WINDOW);
  return {
    ...count,
    outOfOrderAt: count.outOfOrderAt.slice(0, 100),
    expected: count.sent,
    drained,
    faults,
    proxy: { ...proxy.stats },
    refusals,
    outOfOrderAtFacilityKill: atKill,
    outOfOrderOther: count.outOfOrder - atKill,
    readerRestarts: restarts,
    facilityRestarts,
    durationMs: Date.now() - t0,
  };
}
