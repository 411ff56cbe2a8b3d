/**
 * An in-process FacilityLink for visit tests and demos without a broker: the facility side is
 * the simulator's FacilityDb, reached directly. Same contract as the MQTT link: results are
 * validated against `kaoreader.result/1` (bad ones refused with MESSAGE_INVALID), stored once
 * (duplicates deduped); qualify/register answer from the same patient data and consent
 * history, honour `timeoutMs` and `signal` on the injected clock, and reject with
 * `FacilityUnreachableError('offline')` while `offline` is set. `answerDelayMs` simulates a slow
 * facility. It is not a fake that says yes to anything.
 */
import { randomBytes } from 'node:crypto';
import { CancelledError } from '../../firmware/core/errors.ts';
import { validate } from '../../firmware/facility/messages/codec.ts';
import type { Clock } from '../../firmware/ports/clock.ts';
import { FacilityUnreachableError, type FacilityLink, type QualificationAnswer, type VisitResult } from '../../firmware/ports/facility-link.ts';
import { FacilityDb } from './facility-db.ts';

export interface InProcessLinkOptions {
  readonly clock: Clock;
  readonly facilityId?: string;
  readonly db?: FacilityDb;
  readonly consentItems?: readonly string[];
  readonly ePrescription?: boolean;
}

export class InProcessFacilityLink implements FacilityLink {
  offline = false;
  answerDelayMs = 0;
  #closed = false;
  private constructor(readonly db: FacilityDb, private readonly o: InProcessLinkOptions) {}

  static async create(o: InProcessLinkOptions): Promise<InProcessFacilityLink> {
    return new InProcessFacilityLink(o.db ?? (await FacilityDb.open()), o);
  }

  get facilityId(): string { return this.o.facilityId ?? 'clinic-a'; }

  async #answer<T>(what: string, options: { readonly timeoutMs: number; readonly signal?: AbortSignal }, fn: () => T): Promise<T> {
    if (options.signal?.aborted) throw new CancelledError(what, { cause: options.signal.reason });
    if (this.#closed) throw new FacilityUnreachableError(what, 'closed');
    if (this.offline) throw new FacilityUnreachableError(what, 'offline');
    if (this.answerDelayMs >= options.timeoutMs) {
      await this.o.clock.sleep(options.timeoutMs, options.signal);
      throw new FacilityUnreachableError(what, 'timeout');
    }
    if (this.answerDelayMs > 0) await this.o.clock.sleep(this.answerDelayMs, options.signal);
    return fn();
  }

  qualify(certificateSerial: string, options: { readonly timeoutMs: number; readonly signal?: AbortSignal }): Promise<QualificationAnswer> {
    return this.#answer('qualify', options, () => {
      const p = this.db.patient(certificateSerial);
      const prev = this.db.previousConsent(this.facilityId, certificateSerial);
      return {
        registered: p.registered, ...(p.registered ? { insured: p.insured } : {}), ...(prev ? { previousConsent: prev } : {}),
        consentItems: [...(this.o.consentItems ?? ['surgery', 'treatment', 'medication', 'checkups'])],
        ePrescription: this.o.ePrescription ?? true, challenge: randomBytes(32).toString('hex'),
      };
    });
  }

  register(certificateSerial: string, options: { readonly timeoutMs: number; readonly signal?: AbortSignal }): Promise<void> {
    return this.#answer('register', options, () => this.db.register(certificateSerial));
  }

  /** Validated and stored at once (an in-process facility has no delivery delay). */
  async submitResult(result: VisitResult): Promise<void> {
    if (this.#closed) throw new FacilityUnreachableError('submitResult', 'closed');
    validate('kaoreader.result', result);
    await this.db.store(this.facilityId, result);
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.db.close();
  }
}
