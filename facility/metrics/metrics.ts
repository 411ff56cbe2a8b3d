/**
 * The facility service's Prometheus metrics (prom-client, on a registry of its own: no global
 * state). Counters for results by outcome, refusals by reason, proofs verified and the CPU they
 * took, requests by kind and code; histograms of ack latency, commit time and batch size; and
 * per reader, read from the fleet view at scrape time: online, outbox depth, oldest
 * undelivered age, last result time, firmware version. CRL freshness per CA.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Revocation } from '../verify/revocation.ts';
import type { Fleet } from '../service/fleet.ts';

/** Bucket bounds of the histograms (the facility bench reads its percentiles from them). */
export const BUCKETS = {
  ackSeconds: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  commitSeconds: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
  batchSize: [1, 2, 5, 10, 20, 50, 100, 200, 500],
  stageSeconds: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
} as const;

export class FacilityMetrics {
  readonly registry = new Registry();
  readonly results = new Counter({
    name: 'kaoreader_facility_results_total',
    help: 'Results received, by visit outcome and what the facility did (stored, duplicate, refused, retry)',
    labelNames: ['outcome', 'fate'] as const,
    registers: [this.registry],
  });
  readonly refusals = new Counter({
    name: 'kaoreader_facility_refusals_total',
    help: 'Proofs and messages refused, by reason and by what was refused (result, qualify, prove, register, message)',
    labelNames: ['reason', 'kind'] as const,
    registers: [this.registry],
  });
  readonly verified = new Counter({
    name: 'kaoreader_facility_proofs_verified_total',
    help: 'Result proofs checked (signature, challenge, chain, validity, revocation)',
    registers: [this.registry],
  });
  readonly verifyCpu = new Counter({
    name: 'kaoreader_facility_verify_cpu_seconds_total',
    help: 'CPU time spent verifying result proofs',
    registers: [this.registry],
  });
  readonly requests = new Counter({
    name: 'kaoreader_facility_requests_total',
    help: 'Reader requests answered, by kind and code (ok or the error code)',
    labelNames: ['kind', 'code'] as const,
    registers: [this.registry],
  });
  readonly ackSeconds = new Histogram({
    name: 'kaoreader_facility_ack_seconds',
    help: 'From receiving a result to publishing its ack (after commit)',
    buckets: [...BUCKETS.ackSeconds],
    registers: [this.registry],
  });
  readonly commitSeconds = new Histogram({
    name: 'kaoreader_facility_commit_seconds',
    help: 'Time to commit one batch to the database',
    buckets: [...BUCKETS.commitSeconds],
    registers: [this.registry],
  });
  readonly batchSize = new Histogram({
    name: 'kaoreader_facility_batch_size',
    help: 'Jobs committed in one transaction',
    buckets: [...BUCKETS.batchSize],
    registers: [this.registry],
  });
  readonly batchStageSeconds = new Histogram({
    name: 'kaoreader_facility_batch_stage_seconds',
    help: "A batch's time before its commit, by stage: prepare (the store's lookups and verifying its proofs), wait-commit (for the batch before it to commit)",
    labelNames: ['stage'] as const,
    buckets: [...BUCKETS.stageSeconds],
    registers: [this.registry],
  });
  readonly xmlWritten = new Counter({
    name: 'kaoreader_facility_xml_files_total',
    help: 'Clinic-system XML files written',
    registers: [this.registry],
  });
  readonly xmlFailures = new Counter({
    name: 'kaoreader_facility_xml_failures_total',
    help: 'Clinic-system XML files that failed (parked: no, retried later; yes, given up on until the service restarts)',
    labelNames: ['parked'] as const,
    registers: [this.registry],
  });
  readonly xmlParked = new Gauge({
    name: 'kaoreader_facility_xml_parked',
    help: 'Accepted results whose XML file was given up on (retried at the next restart)',
    registers: [this.registry],
  });

  constructor(fleet: Fleet, revocation: Revocation) {
    // The service's event-loop delay since the previous scrape (an ack waits for every turn of the loop before it).
    const loop = monitorEventLoopDelay({ resolution: 5 });
    loop.enable();
    new Gauge({
      name: 'kaoreader_facility_event_loop_delay_seconds',
      help: "The service's event-loop delay since the previous scrape (5 ms sampling): p50, p99, max",
      labelNames: ['stat'] as const,
      registers: [this.registry],
      collect() {
        this.set({ stat: 'p50' }, loop.percentile(50) / 1e9);
        this.set({ stat: 'p99' }, loop.percentile(99) / 1e9);
        this.set({ stat: 'max' }, loop.max / 1e9);
        loop.reset();
      },
    });
    // The reader gauges are filled together when the first of them is collected (a registry
    // collects its metrics one after another in registration order).
    const gauge = (
      name: string,
      help: string,
      labels: readonly ('reader' | 'firmware_version')[],
      collect?: () => void,
    ): Gauge<'reader' | 'firmware_version'> =>
      new Gauge({ name, help, labelNames: labels, registers: [this.registry], ...(collect ? { collect } : {}) });
    const family: Gauge<'reader' | 'firmware_version'>[] = [];
    const fill = (): void => {
      const [online, depth, oldest, lastResult, lastSeen, info, dead] = family;
      if (!online || !depth || !oldest || !lastResult || !lastSeen || !info || !dead) return;
      for (const g of family) g.reset();
      for (const [reader, v] of fleet.readers) {
        online.set({ reader }, v.status?.state === 'online' ? 1 : 0);
        lastSeen.set({ reader }, v.lastSeen / 1000);
        if (v.health) {
          depth.set({ reader }, v.health.outboxDepth);
          oldest.set({ reader }, v.health.oldestUndeliveredAgeMs / 1000);
          dead.set({ reader }, v.health.deadLetters ?? 0);
        }
        if (v.lastResultAt !== undefined) lastResult.set({ reader }, v.lastResultAt / 1000);
        if (v.status?.firmwareVersion) info.set({ reader, firmware_version: v.status.firmwareVersion }, 1);
      }
    };
    family.push(
      gauge('kaoreader_reader_online', "Is the reader's retained status online (1) or offline (0)", ['reader'], fill),
      gauge('kaoreader_reader_outbox_depth', "Results waiting in the reader's outbox (last health report)", ['reader']),
      gauge(
        'kaoreader_reader_oldest_undelivered_seconds',
        "Age of the oldest undelivered result in the reader's outbox (last health report)",
        ['reader'],
      ),
      gauge('kaoreader_reader_last_result_timestamp_seconds', 'When the facility last stored a result from the reader', ['reader']),
      gauge('kaoreader_reader_last_seen_timestamp_seconds', 'When the facility last heard from the reader', ['reader']),
      gauge('kaoreader_reader_info', "The reader's firmware version (value 1)", ['reader', 'firmware_version']),
      gauge(
        'kaoreader_reader_dead_letters',
        "Results kept in the reader's outbox that the facility refused for good as messages, no longer resent (last health report)",
        ['reader'],
      ),
    );
    new Gauge({
      name: 'kaoreader_facility_crl_next_update_timestamp_seconds',
      help: 'nextUpdate of the newest revocation list held, per CA',
      labelNames: ['issuer', 'ca'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const c of revocation.summary())
          if (c.nextUpdate !== undefined) this.set({ issuer: c.issuer.replace(/\n/g, ', '), ca: c.ca }, c.nextUpdate / 1000);
      },
    });
    new Gauge({
      name: 'kaoreader_facility_crl_usable_until_timestamp_seconds',
      help: 'Until when the newest revocation list held is used, per CA (nextUpdate + grace, or thisUpdate + max age without a nextUpdate); later, proofs of that CA are held back as REVOCATION_UNKNOWN',
      labelNames: ['issuer', 'ca'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const c of revocation.summary()) this.set({ issuer: c.issuer.replace(/\n/g, ', '), ca: c.ca }, c.usableUntil / 1000);
      },
    });
  }

  /** The exposition text (what `/metrics` serves). */
  text(): Promise<string> {
    return this.registry.metrics();
  }
}
