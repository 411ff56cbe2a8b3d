/**
 * The FacilityLink of a reader that is not paired yet: requests fail at once with
 * `FacilityUnreachableError('offline')` (the visit shows the fallback guidance), results go
 * into the same durable outbox the MQTT link will deliver from once the reader is paired and
 * restarted. Its health says "not paired"; the pairing code and QR are for the screen only
 * (`identity`), never in health or a log line.
 */
import type { HealthCheck, Service } from '../ports/service.ts';
import { FacilityUnreachableError, type FacilityLink, type QualificationAnswer, type VisitResult } from '../ports/facility-link.ts';
import { encode } from './messages/codec.ts';
import type { Outbox } from './outbox/outbox.ts';
import type { ReaderIdentity } from './pairing/identity.ts';

export class UnpairedFacilityLink implements FacilityLink, Service {
  readonly name = 'facility-link';
  constructor(
    readonly identity: Pick<ReaderIdentity, 'readerId' | 'pairingCode' | 'qrPayload'>,
    private readonly outbox: Outbox,
  ) {}

  start(): Promise<void> {
    return Promise.resolve();
  }
  stop(): Promise<void> {
    return this.close();
  }

  qualify(): Promise<QualificationAnswer> {
    return Promise.reject(new FacilityUnreachableError('qualify', 'offline'));
  }

  prove(): Promise<void> {
    return Promise.reject(new FacilityUnreachableError('prove', 'offline'));
  }

  register(): Promise<void> {
    return Promise.reject(new FacilityUnreachableError('register', 'offline'));
  }

  async submitResult(result: VisitResult): Promise<void> {
    await this.outbox.append(result.id, encode('kaoreader.result', result));
  }

  health(): Promise<HealthCheck[]> {
    return Promise.resolve([
      {
        name: 'facility-link',
        critical: false,
        ok: false,
        detail: `not paired with a facility: reader ${this.identity.readerId} shows its pairing QR (kaoreader facility pair)`,
      },
      { name: 'outbox', ok: this.outbox.status === 'ok', detail: `${this.outbox.depth} results waiting for pairing` },
    ]);
  }

  close(): Promise<void> {
    return this.outbox.close();
  }
}
