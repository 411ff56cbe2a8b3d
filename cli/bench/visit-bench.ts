/**
 * The visit bench on the product's wiring: one reader daemon with the card through the PC/SC
 * driver, a private pcscd and vpcd on the quick-ACK loopback route (card-slot.ts; `card:
 * 'in-process'` for the old in-process reader), a 30 fps simulated live camera, the real face
 * models, rendered screens, mosquitto and the durable facility (results fsync'd before the ack),
 * and a scripted patient who acts on what the panel shows, after a human delay (patient-hands.ts),
 * doing face visits one after another. Measures card in → method screen *drawn* (the frame
 * written to the display), split at the moment the reader's CardReader reports the card
 * (`inserted`: through pcscd, whose vpcd reader is polled every 400 ms, a simulator cost), face
 * chosen → decision, result handed over → facility ack, and
 * samples RSS, heap, open file descriptors and the broker's RSS after every visit (soak-stats.ts);
 * the verdict is the least-squares RSS slope over the second half of the run. A visit fails when
 * a step does not happen, when it ends without a face decision, or when its result is not stored
 * at the facility; failed visits are counted, never dropped. Only the current visit's events are kept.
 * With `patients` (a labelled set's people, dataset-patients.ts: card photo and camera two
 * photographs of each) the visits go round them, one reader per person in turn; the genuine
 * similarity scores of the decisions are reported as an aggregate, never per patient.
 */
import type { Logger, LogSink } from '../../firmware/core/logger.ts';
import { Daemon } from '../../firmware/daemon/daemon.ts';
import { systemdNotifier } from '../../firmware/daemon/sd-notify.ts';
import { systemClock } from '../../firmware/platform/system-clock.ts';
import { defaultConfig } from '../../firmware/config/load.ts';
import type { VisitEvent } from '../../firmware/visit/events.ts';
import { VisitError } from '../../firmware/visit/errors.ts';
import { pcscdSlot, type CardWiring } from '../simulator/card-slot.ts';
import { ReaderRig } from '../simulator/reader-rig.ts';
import { ScreenKit } from '../simulator/screen-kit.ts';
import { SimReader } from '../simulator/sim-reader.ts';
import { allocator, FLAT_RSS_MB_PER_100, per100, sample, tenths, type Sample } from './soak-stats.ts';
import { createSimWorld } from '../simulator/world.ts';
import type { LoadedPatient } from '../../hardware-sim/patients/load-patient.ts';

export interface Stats {
  readonly n: number;
  readonly p50: number;
  readonly p95: number;
  readonly max: number;
}
export type { Sample } from './soak-stats.ts';

export interface VisitBenchReport {
  /** What the bench ran on: the card path and the facility store. */
  readonly wiring: { readonly card: CardWiring; readonly facility: 'durable' };
  readonly visits: number;
  /** Visits that did not end in a decision and a result stored at the facility. */
  readonly failed: number;
  /** Why, per failed visit (first 20). */
  readonly failures: readonly string[];
  /** Taps the patients made too early (before the screen they meant was drawn). */
  readonly earlyTaps: number;
  /** Who came: the built-in patient, or a labelled set's people (chip photo and camera: two photographs). */
  readonly patients: { readonly source: string; readonly count: number };
  /**
   * The face decisions' similarity scores of the patients with their own card (genuine), as an
   * aggregate only: how hard the sim's genuine match is. No per-patient score is kept or logged.
   */
  readonly genuineScores: {
    readonly n: number;
    readonly min: number;
    readonly p5: number;
    readonly p50: number;
    readonly belowThreshold: number;
    readonly threshold: number;
  };
  readonly cardInToMethodMs: Stats;
  /**
   * cardInToMethodMs split where the reader's CardReader reports the card (`inserted`): card in →
   * reported (pcscd polls the vpcd reader every 400 ms: the simulator's wiring, not the reader's
   * work) and reported → method screen drawn (the reader's own work: screens, APDUs, checks).
   */
  readonly cardInPhasesMs: { readonly toReported: Stats; readonly reportedToMethod: Stats };
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

export interface VisitBenchOptions {
  readonly visits: number;
  readonly log: Logger;
  readonly auditSink: LogSink;
  /** The card path (default 'pcscd': the product's driver through pcscd and vpcd). */
  readonly card?: CardWiring;
  /** A labelled set's people (default: the built-in patient suzuki-aiko), and where they come from. */
  readonly patients?: readonly LoadedPatient[];
  readonly source?: string;
  readonly onProgress?: (done: number) => void;
}

interface OpenReader {
  readonly reader: SimReader;
  readonly kit: ScreenKit;
  readonly rig: ReaderRig;
  readonly stop: AbortController;
  readonly running: Promise<void>;
  /** When the reader's CardReader last reported a card inserted (monotonic ms). */
  readonly reported: { at: number };
}

export async function runVisitBench(o: VisitBenchOptions): Promise<VisitBenchReport> {
  const card = o.card ?? 'pcscd';
  const scores: number[] = [];
  const world = await createSimWorld({
    clock: systemClock,
    log: o.log,
    auditSink: o.auditSink,
    ...(o.patients ? { patients: o.patients } : {}),
    onFaceDecision: (d) => {
      if (d.outcome === 'match' || d.outcome === 'no-match') scores.push(d.score);
    },
  });
  const events: VisitEvent[] = [];
  const resultAt = new Map<string, number>();
  const acks: number[] = [];
  const ids = o.patients?.map((p) => p.id) ?? ['suzuki-aiko'];
  const open = async (patient: string): Promise<OpenReader> => {
    const reader = await SimReader.create(world, {
      patient,
      card: 'patient',
      visit: defaultConfig().visit,
      facility: { registered: true, ePrescription: false, reachable: true },
      onEvent: (e) => {
        events.push(e);
        if (e.type === 'result') resultAt.set(e.result.id, e.at);
      },
      onDelivered: (id) => {
        const at = resultAt.get(id);
        if (at !== undefined) {
          acks.push(systemClock.monotonic() - at);
          resultAt.delete(id);
        }
      },
      ...(card === 'pcscd' ? { cardSlot: pcscdSlot } : {}),
    });
    if (!(reader.ui instanceof ScreenKit)) throw new VisitError('INTERNAL', 'the visit bench needs rendered screens');
    const stop = new AbortController();
    const reported = { at: Number.NaN };
    // A second subscriber to the reader's card events (the visit loop has its own): when the product saw the card.
    void (async () => {
      for await (const e of reader.slot.reader.events()) if (e.type === 'inserted') reported.at = systemClock.monotonic();
    })().catch((err: unknown) => o.log.warn('card events of the bench ended', { err }));
    const running = new Daemon({
      services: reader.services,
      notifier: systemdNotifier({}),
      clock: systemClock,
      log: o.log.child('daemon'),
    }).run(stop.signal);
    const rig = new ReaderRig(reader);
    await rig.waitForScreen('idle', 30_000);
    return { reader, kit: reader.ui, rig, stop, running, reported };
  };
  const close = async (r: OpenReader): Promise<void> => {
    r.stop.abort();
    await r.running;
    await r.reader.close();
  };
  let current: OpenReader;
  try {
    current = await open(ids[0]!);
  } catch (err) {
    await world.close();
    throw err;
  }
  /** Visits per person, so every person comes (one reader at a time: each has its own pcscd). */
  const perPatient = Math.ceil(o.visits / ids.length);
  let earlyTaps = 0;
  const cardToMethod: number[] = [];
  const toReported: number[] = [];
  const reportedToMethod: number[] = [];
  const faceToDecision: number[] = [];
  const visitMs: number[] = [];
  const samples: Sample[] = [];
  let failuresSeen = 0;
  const failures: string[] = [];
  try {
    for (let i = 0; i < o.visits; i++) {
      const next = ids[Math.min(ids.length - 1, Math.floor(i / perPatient))]!;
      if (next !== current.reader.patient.id) {
        earlyTaps += current.kit.hands.earlyTaps;
        await close(current);
        current = await open(next);
      }
      const { rig, kit } = current;
      // Only this visit's events are kept (the reader's own logs too): a soak must not grow them.
      events.length = 0;
      await rig.forgetHistory();
      const t0 = systemClock.monotonic();
      let why: string | undefined;
      try {
        await rig.camera('live');
        await rig.insertCard();
        // Card in → the method screen on the panel (its frame written), not the visit's request for it.
        const methodDrawn = kit.drawnAt('method', 15_000);
        await kit.hands.anticipate('face');
        const drawn = await methodDrawn;
        cardToMethod.push(drawn - t0);
        const reportedAt = current.reported.at;
        if (reportedAt >= t0 && reportedAt <= drawn) {
          toReported.push(reportedAt - t0);
          reportedToMethod.push(drawn - reportedAt);
        }
        await rig.waitForScreen('method', 15_000);
        await rig.tap('face');
        await kit.hands.anticipate('reuse');
        // A returning patient is shown the consent they gave here last time.
        // After the face part: the liveness challenge alone takes up to ≈ 12 s (docs/benchmarks/face.md).
        const consent = await rig.waitForAnyScreen(['consent', 'consent-reuse'], 45_000);
        await rig.tap(consent === 'consent' ? 'all' : 'reuse');
        await rig.waitForScreen('done', 15_000);
        await rig.pullCard();
        await rig.camera('nobody');
        await rig.waitForScreen('idle', 15_000);
        if (!events.some((e) => e.type === 'decision')) why = 'no face decision';
        else await rig.waitForResult(1, 15_000);
      } catch (err) {
        why = err instanceof Error ? err.message : String(err);
        await rig.pullCard();
        await rig.camera('nobody');
        await rig.waitForScreen('idle', 15_000).catch(() => undefined);
      }
      if (why !== undefined) {
        if (failures.length < 20) failures.push(`visit ${i + 1}: ${why}`);
        failuresSeen += 1;
        o.log.warn('bench visit failed', { visit: i, why });
      }
      visitMs.push(systemClock.monotonic() - t0);
      const faceState = events.find((e) => e.type === 'state' && e.state === 'face');
      const decision = events.find((e) => e.type === 'decision');
      if (faceState && decision) faceToDecision.push(decision.at - faceState.at);
      samples.push(sample(i + 1, world.broker.pid()));
      o.onProgress?.(i + 1);
    }
    // Let the last acks arrive.
    for (let i = 0; i < 200 && resultAt.size > 0; i++) await new Promise((r) => setTimeout(r, 10));
  } finally {
    earlyTaps += current.kit.hands.earlyTaps;
    await close(current);
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
  const genuineScores = {
    n: sorted.length,
    min: r4(sorted[0]),
    p5: r4(sorted[Math.floor(sorted.length * 0.05)]),
    p50: r4(sorted[Math.floor(sorted.length / 2)]),
    belowThreshold: sorted.filter((v) => v < threshold).length,
    threshold,
  };
  scores.fill(0);
  sorted.fill(0);
  return {
    wiring: { card, facility: 'durable' },
    visits: o.visits,
    failed: failuresSeen,
    failures,
    earlyTaps,
    patients: { source: o.source ?? 'built-in (suzuki-aiko)', count: ids.length },
    genuineScores,
    cardInToMethodMs: c2m,
    cardInPhasesMs: { toReported: stats(toReported), reportedToMethod: stats(reportedToMethod) },
    faceChosenToDecisionMs: f2d,
    resultToFacilityAckMs: ack,
    visitMs: stats(visitMs),
    soak: {
      allocator: allocator(),
      first: samples[0],
      last: samples.at(-1),
      rssSlopeMbPer100,
      flat: rssSlopeMbPer100 <= FLAT_RSS_MB_PER_100 && fdsHalf < 1,
      flatCriterion: `least-squares RSS slope over visits ${half[0]?.visit ?? 0}–${samples.length} ≤ ${FLAT_RSS_MB_PER_100} MB/100 visits, open fds < 1/100 visits`,
      rssTenthsMb: tenths(samples, (s) => s.rssMb),
      heapTenthsMb: tenths(samples, (s) => s.heapMb),
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
