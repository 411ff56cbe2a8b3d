/**
 * The visit bench on the simulator: one reader daemon (virtual card, 30 fps simulated live
 * camera, real face models, rendered screens, mosquitto + facility simulator) and a scripted
 * patient doing face visits one after another. Measures card in → method screen, face chosen →
 * decision, result handed over → facility ack, and samples RSS, heap, open file descriptors and
 * the broker's RSS after every visit (soak-stats.ts); the verdict is the least-squares RSS slope
 * over the second half of the run. Only the current visit's events are kept.
 */
import type { Logger, LogSink } from '../../firmware/core/logger.ts';
import { Daemon } from '../../firmware/daemon/daemon.ts';
import { systemdNotifier } from '../../firmware/daemon/sd-notify.ts';
import { systemClock } from '../../firmware/platform/system-clock.ts';
import { defaultConfig } from '../../firmware/config/load.ts';
import type { VisitEvent } from '../../firmware/visit/events.ts';
import { ReaderRig } from './reader-rig.ts';
import { SimReader } from './sim-reader.ts';
import { allocator, FLAT_RSS_MB_PER_100, per100, sample, tenths, type Sample } from './soak-stats.ts';
import { createSimWorld } from './world.ts';
import type { LoadedPatient } from '../../hardware-sim/patients/load-patient.ts';

export interface Stats { readonly n: number; readonly p50: number; readonly p95: number; readonly max: number }
export type { Sample } from './soak-stats.ts';

export interface VisitBenchReport {
  readonly visits: number;
  readonly failed: number;
  /** Who came: the built-in patient, or a labelled set's people (chip photo and camera: two photographs). */
  readonly patients: { readonly source: string; readonly count: number };
  /**
   * The face decisions' similarity scores of the patients with their own card (genuine), as an
   * aggregate only: how hard the sim's genuine match is. No per-patient score is kept or logged.
   */
  readonly genuineScores: { readonly n: number; readonly min: number; readonly p5: number; readonly p50: number; readonly belowThreshold: number; readonly threshold: number };
  readonly cardInToMethodMs: Stats;
  readonly faceChosenToDecisionMs: Stats;
  readonly resultToFacilityAckMs: Stats;
  readonly visitMs: Stats;
  readonly soak: {
    /** The malloc the process ran on (RSS depends on it; the product runs on jemalloc). */
    readonly allocator: string;
    readonly first: Sample | undefined;
    readonly last: Sample | undefined;
    /** RSS slope per 100 visits over the second half of the run: the soak verdict. */
    readonly rssSlopeMbPer100: number;
    /** rssSlopeMbPer100 ≤ FLAT_RSS_MB_PER_100 (and fds flat over the second half). */
    readonly flat: boolean;
    readonly flatCriterion: string;
    /** Mean RSS / JS heap per tenth of the run, MB. */
    readonly rssTenthsMb: number[];
    readonly heapTenthsMb: number[];
    readonly rssMaxMb: number | undefined;
    /** Slopes per 100 visits after the first 10 % (warm-up). */
    readonly rssMbPer100Visits: number;
    readonly heapMbPer100Visits: number;
    readonly externalMbPer100Visits: number;
    readonly fdsPer100Visits: number;
    readonly brokerRssMbPer100Visits: number | undefined;
    readonly samples: readonly Sample[];
  };
  readonly targets: Readonly<Record<string, { readonly target: string; readonly met: boolean }>>;
  readonly machine: { readonly cpus: number; readonly arch: string; readonly node: string };
}

export function stats(values: readonly number[]): Stats {
  const s = [...values].sort((a, b) => a - b);
  const at = (q: number): number => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
  const r = (x: number): number => Math.round(x * 10) / 10;
  return { n: s.length, p50: r(at(0.5)), p95: r(at(0.95)), max: r(s.at(-1) ?? NaN) };
}

/**
 * `patients`: a labelled set's people (dataset-patients.ts), one reader each, visits taken in
 * turn; without, the built-in patient suzuki-aiko at one reader.
 */
export async function runVisitBench(o: { visits: number; log: Logger; auditSink: LogSink; patients?: readonly LoadedPatient[]; source?: string; onProgress?: (done: number) => void }): Promise<VisitBenchReport> {
  const scores: number[] = [];
  const world = await createSimWorld({
    clock: systemClock, log: o.log, auditSink: o.auditSink, ...(o.patients ? { patients: o.patients } : {}),
    onFaceDecision: (d) => { if (d.outcome === 'match' || d.outcome === 'no-match') scores.push(d.score); },
  });
  const events: VisitEvent[] = [];
  const resultAt = new Map<string, number>();
  const acks: number[] = [];
  const ids = o.patients?.map((p) => p.id) ?? ['suzuki-aiko'];
  const readers: SimReader[] = [];
  const stop = new AbortController();
  const running: Promise<void>[] = [];
  for (const id of ids) {
    const reader = await SimReader.create(world, {
      patient: id, card: 'patient', visit: defaultConfig().visit,
      facility: { registered: true, ePrescription: false, reachable: true },
      onEvent: (e) => { events.push(e); if (e.type === 'result') resultAt.set(e.result.id, e.at); },
      onDelivered: (rid) => { const at = resultAt.get(rid); if (at !== undefined) { acks.push(systemClock.monotonic() - at); resultAt.delete(rid); } },
    });
    readers.push(reader);
    running.push(new Daemon({ services: reader.services, notifier: systemdNotifier({}), clock: systemClock, log: o.log.child('daemon') }).run(stop.signal));
  }
  const rigs = readers.map((r) => new ReaderRig(r));
  const cardToMethod: number[] = [];
  const faceToDecision: number[] = [];
  const visitMs: number[] = [];
  const samples: Sample[] = [];
  let failed = 0;
  try {
    for (const rig of rigs) await rig.waitForScreen('idle', 30_000);
    for (let i = 0; i < o.visits; i++) {
      const rig = rigs[i % rigs.length]!;
      // Only this visit's events are kept (the reader's own logs too): a soak must not grow them.
      events.length = 0;
      rig.forgetHistory();
      const t0 = systemClock.monotonic();
      try {
        await rig.camera('live');
        await rig.insertCard();
        await rig.waitForScreen('method', 15_000);
        await rig.tap('face');
        // A returning patient is shown the consent they gave here last time.
        const consent = await rig.waitForAnyScreen(['consent', 'consent-reuse'], 20_000);
        await rig.tap(consent === 'consent' ? 'all' : 'reuse');
        await rig.waitForScreen('done', 15_000);
        await rig.pullCard();
        await rig.camera('nobody');
        await rig.waitForScreen('idle', 15_000);
      } catch (err) {
        failed++;
        o.log.warn('bench visit failed', { visit: i, err });
        await rig.pullCard();
        await rig.camera('nobody');
        await rig.waitForScreen('idle', 15_000).catch(() => undefined);
      }
      visitMs.push(systemClock.monotonic() - t0);
      const method = events.find((e) => e.type === 'screen' && e.screen === 'method');
      if (method) cardToMethod.push(method.at - t0);
      const faceState = events.find((e) => e.type === 'state' && e.state === 'face');
      const decision = events.find((e) => e.type === 'decision');
      if (faceState && decision) faceToDecision.push(decision.at - faceState.at);
      samples.push(sample(i + 1, world.broker.pid()));
      o.onProgress?.(i + 1);
    }
    // Let the last acks arrive.
    for (let i = 0; i < 200 && resultAt.size > 0; i++) await new Promise((r) => setTimeout(r, 10));
  } finally {
    stop.abort();
    await Promise.all(running);
    for (const reader of readers) await reader.close();
    await world.close();
  }
  const warm = samples.slice(Math.floor(samples.length / 10));
  const half = samples.slice(Math.floor(samples.length / 2));
  const brokerSeries = warm.map((s) => s.brokerRssMb);
  const rssSlopeMbPer100 = per100(half, (s) => s.rssMb);
  const fdsHalf = per100(half, (s) => s.fds);
  const c2m = stats(cardToMethod);
  const f2d = stats(faceToDecision);
  const ack = stats(acks);
  const sorted = [...scores].sort((a, b) => a - b);
  const threshold = defaultConfig().face.threshold;
  const r4 = (v: number | undefined): number => (v === undefined ? NaN : Math.round(v * 1e4) / 1e4);
  const genuineScores = { n: sorted.length, min: r4(sorted[0]), p5: r4(sorted[Math.floor(sorted.length * 0.05)]), p50: r4(sorted[Math.floor(sorted.length / 2)]), belowThreshold: sorted.filter((v) => v < threshold).length, threshold };
  scores.fill(0);
  return {
    visits: o.visits, failed, patients: { source: o.source ?? 'built-in (suzuki-aiko)', count: ids.length }, genuineScores,
    cardInToMethodMs: c2m, faceChosenToDecisionMs: f2d, resultToFacilityAckMs: ack, visitMs: stats(visitMs),
    soak: {
      allocator: allocator(),
      first: samples[0], last: samples.at(-1),
      rssSlopeMbPer100, flat: rssSlopeMbPer100 <= FLAT_RSS_MB_PER_100 && fdsHalf < 1,
      flatCriterion: `least-squares RSS slope over visits ${half[0]?.visit ?? 0}–${samples.length} ≤ ${FLAT_RSS_MB_PER_100} MB/100 visits, open fds < 1/100 visits`,
      rssTenthsMb: tenths(samples, (s) => s.rssMb), heapTenthsMb: tenths(samples, (s) => s.heapMb),
      rssMaxMb: samples.length > 0 ? Math.max(...samples.map((s) => s.rssMb)) : undefined,
      rssMbPer100Visits: per100(warm, (s) => s.rssMb),
      heapMbPer100Visits: per100(warm, (s) => s.heapMb),
      externalMbPer100Visits: per100(warm, (s) => s.externalMb),
      fdsPer100Visits: per100(warm, (s) => s.fds),
      brokerRssMbPer100Visits: brokerSeries.every((v) => v !== undefined) ? per100(warm, (s) => s.brokerRssMb ?? 0) : undefined,
      samples,
    },
    targets: {
      cardInToMethod: { target: 'p95 ≤ 300 ms', met: c2m.p95 <= 300 },
      faceChosenToDecision: { target: 'p95 ≤ 1500 ms (live patient, 30 fps)', met: f2d.p95 <= 1500 },
      resultToFacilityAck: { target: 'p95 ≤ 100 ms', met: ack.p95 <= 100 },
    },
    machine: { cpus: (await import('node:os')).cpus().length, arch: process.arch, node: process.version },
  };
}
