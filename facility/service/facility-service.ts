/**
 * The production facility service (`kaoreader facility serve`; `kaoreader sim facility` is the
 * same service with the simulated qualification provider): consumes every reader's messages on
 * the broker, verifies every accepted result's proof, stores results in the facility database
 * (ack only after commit), answers qualify/prove/register, tracks the fleet, sends commands,
 * writes clinic-system XML files and exposes metrics. Parts are injected (composed in compose.ts).
 */
import { isProofRefusal } from '../../firmware/facility/messages/refusals.ts';
import type { Command, CommandReply } from '../../firmware/facility/messages/types.ts';
import { FacilityMetrics } from '../metrics/metrics.ts';
import type { ReaderUpdate } from '../store/store.ts';
import { XmlBridge } from '../xml/xml-bridge.ts';
import type { FacilityServiceOptions } from './service-options.ts';
import { CommandSender } from './commands.ts';
import { CommitQueue, writeJob } from './commit-queue.ts';
import { Fleet } from './fleet.ts';
import { MqttConsumer } from './mqtt-consumer.ts';
import { RequestHandler } from './requests.ts';
import { ResultIntake, ResultJob } from './result-intake.ts';

export type { FacilityServiceOptions };

export class FacilityService {
  readonly fleet = new Fleet();
  readonly metrics: FacilityMetrics;
  /** Messages dropped or answered with an error because they failed validation. */
  readonly invalid = { results: 0, requests: 0, other: 0 };
  readonly queue: CommitQueue;
  readonly xml: XmlBridge | undefined;
  readonly #intake: ResultIntake;
  readonly #requests: RequestHandler;
  #consumer: MqttConsumer | undefined;
  #commands: CommandSender | undefined;

  private constructor(readonly o: FacilityServiceOptions) {
    this.metrics = new FacilityMetrics(this.fleet, o.revocation);
    const m = this.metrics;
    this.#intake = new ResultIntake({
      store: o.store,
      verifier: o.verifier,
      clock: o.clock,
      log: o.log,
      audit: o.audit,
      hooks: {
        onVerified: (cpu, n) => {
          m.verifyCpu.inc(cpu);
          m.verified.inc(n);
        },
        onOutcome: ({ result, outcome, code, receivedAt }) => {
          m.results.inc({ outcome: result.outcome, fate: outcome });
          if (outcome === 'refused' && code) m.refusals.inc({ reason: code.toLowerCase().replace(/_/g, '-'), kind: 'result' });
          m.ackSeconds.observe(Math.max(0, o.clock.now() - receivedAt) / 1000);
          this.fleet.result(result.readerId, result.id, outcome, receivedAt);
        },
      },
    });
    this.queue = new CommitQueue({
      store: o.store,
      log: o.log.child('store'),
      ...(o.maxBatch ? { maxBatch: o.maxBatch } : {}),
      prepare: (jobs) => this.#intake.prepare(jobs),
      key: (j) => (j instanceof ResultJob ? j.result.id : undefined),
      settleAll: (settle) => (this.#consumer ? this.#consumer.corked(settle) : settle()),
      onCommit: (jobs, s, stages) => {
        m.batchSize.observe(jobs.length);
        m.commitSeconds.observe(s);
        m.batchStageSeconds.observe({ stage: 'prepare' }, stages.prepare);
        m.batchStageSeconds.observe({ stage: 'wait-commit' }, stages.waitCommit);
        if (jobs.some((j) => j instanceof ResultJob && j.result.outcome === 'accepted')) this.xml?.kick();
      },
    });
    this.#requests = new RequestHandler({
      facilityId: o.facilityId,
      store: o.store,
      queue: this.queue,
      verifier: o.verifier,
      provider: o.provider,
      clock: o.clock,
      log: o.log.child('requests'),
      audit: o.audit,
      challengeTtlMs: o.challengeTtlMs,
      providerTimeoutMs: o.providerTimeoutMs,
      consentItems: o.consentItems,
      ePrescription: o.ePrescription,
      onAnswer: (kind, code, proofRefusal) => {
        m.requests.inc({ kind, code: code ?? 'ok' });
        if (code && (proofRefusal || isProofRefusal(code))) m.refusals.inc({ reason: code.toLowerCase().replace(/_/g, '-'), kind });
      },
    });
    this.xml = o.xml
      ? new XmlBridge({
          ...o.xml,
          store: o.store,
          provider: o.provider,
          facilityId: o.facilityId,
          log: o.log.child('xml'),
          clock: o.clock,
          onWritten: () => m.xmlWritten.inc(),
          onFailed: (_id, parked) => {
            m.xmlFailures.inc({ parked: parked ? 'yes' : 'no' });
            if (parked) m.xmlParked.inc();
          },
        })
      : undefined;
  }

  /** Connects to the broker and serves until `close()`. */
  static async start(o: FacilityServiceOptions): Promise<FacilityService> {
    const s = new FacilityService(o);
    const consumer = await MqttConsumer.connect({
      facilityId: o.facilityId,
      broker: o.broker,
      clock: o.clock,
      log: o.log.child('mqtt'),
      handlers: {
        result: (readerId, result, raw, answer) => {
          const receivedAt = o.clock.now();
          s.fleet.seen(readerId, receivedAt);
          s.queue.push(
            new ResultJob(o.facilityId, result, raw, receivedAt, (ack, outcome, code) => {
              answer(ack);
              s.#intake.recordOutcome(result, outcome, receivedAt, code);
            }),
          );
        },
        request: (readerId, request) => {
          s.fleet.seen(readerId, o.clock.now());
          return s.#requests.handle(request);
        },
        status: (status) => {
          const at = o.clock.now();
          s.fleet.status(status, at);
          s.#persist({
            readerId: status.readerId,
            facilityId: o.facilityId,
            at,
            status: {
              state: status.state,
              firmwareVersion: status.firmwareVersion,
              bootCounter: status.bootCounter,
              facilityName: status.facilityName,
            },
          });
        },
        health: (health) => {
          const at = o.clock.now();
          s.fleet.health(health, at);
          s.#persist({
            readerId: health.readerId,
            facilityId: o.facilityId,
            at,
            health: {
              outboxDepth: health.outboxDepth,
              oldestUndeliveredAgeMs: health.oldestUndeliveredAgeMs,
              inFlight: health.inFlight,
              outboxStatus: health.outboxStatus,
              deadLetters: health.deadLetters ?? 0,
            },
          });
        },
        reply: (reply) => s.#commands?.onReply(reply),
        invalid: (readerId, leaf, err) => {
          if (leaf === 'results') s.invalid.results += 1;
          else if (leaf === 'requests') s.invalid.requests += 1;
          else s.invalid.other += 1;
          const code = (err as { code?: unknown }).code;
          s.metrics.refusals.inc({
            reason: typeof code === 'string' ? code.toLowerCase().replace(/_/g, '-') : 'message-invalid',
            kind: 'message',
          });
          o.log.warn('message from reader refused', { readerId, leaf, err });
        },
      },
    });
    s.#consumer = consumer;
    s.#commands = new CommandSender({
      facilityId: o.facilityId,
      key: o.commandKey,
      protocolVersion: o.broker.protocolVersion ?? 5,
      clock: o.clock,
      queue: s.queue,
      publish: (readerId, payload, options) => consumer.publishCommand(readerId, payload, options),
    });
    s.xml?.kick(); // whatever a previous run left unwritten
    return s;
  }

  #persist(update: ReaderUpdate): void {
    const { job, done } = writeJob((b) => b.readers.push(update));
    this.queue.push(job);
    done.catch(() => undefined); // a failed batch is logged by the commit queue; the next report replaces it
  }

  get connected(): boolean {
    return this.#consumer?.client.connected ?? false;
  }

  /** Signs a command for a reader, sends it and waits for its reply (`ttlMs`: its validity, default 5 min). */
  command(readerId: string, command: Command, timeoutMs = 5000, ttlMs?: number): Promise<CommandReply> {
    if (!this.#commands) return Promise.reject(new Error('the facility service is not started'));
    return this.#commands.send(readerId, command, timeoutMs, ttlMs);
  }

  /** Announces offline, stops consuming, finishes queued commits and XML files; the store stays open (its owner closes it). */
  async close(options: { readonly endSession?: boolean } = {}): Promise<void> {
    await this.#consumer?.close(options);
    await this.queue.close();
    await this.xml?.close();
  }
}
