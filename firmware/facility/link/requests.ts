/**
 * Request/response over MQTT with per-request timeouts: each request has a UUIDv7 id, the
 * facility's `kaoreader.response/1` (to a `kaoreader.request/2`) names it in `requestId`. No answer in time →
 * `FacilityUnreachableError('timeout')`; link down → `('offline')` at once; closed →
 * `('closed')`; aborted → `CancelledError`. Late or unknown answers are dropped.
 */
import { CancelledError } from '../../core/errors.ts';
import type { Logger } from '../../core/logger.ts';
import type { Clock, TimerHandle } from '../../ports/clock.ts';
import { FacilityRefusedError, FacilityUnreachableError } from '../../ports/facility-link.ts';
import type { CardOfVisit } from '../../ports/facility-link.ts';
import type { Request, Response } from '../messages/types.ts';
import { uuidv7 } from '../../core/uuidv7.ts';

interface Waiter {
  resolve(r: Response): void;
  reject(e: unknown): void;
  timer: TimerHandle;
  what: string;
}

export class Requests {
  #waiters = new Map<string, Waiter>();
  constructor(
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  async call(
    fields: Omit<Request, 'schema' | 'id' | 'sentAt'>,
    options: { readonly timeoutMs: number; readonly signal?: AbortSignal; readonly online: boolean },
    send: (request: Request) => Promise<void>,
  ): Promise<Response> {
    const { kind } = fields;
    if (options.signal?.aborted) throw new CancelledError(kind, { cause: options.signal.reason });
    if (!options.online) throw new FacilityUnreachableError(kind, 'offline');
    const request: Request = {
      schema: 'kaoreader.request/2',
      id: uuidv7(this.clock.now()),
      ...fields,
      sentAt: new Date(this.clock.now()).toISOString(),
    };
    const answer = new Promise<Response>((resolve, reject) => {
      const timer = this.clock.setTimeout(() => {
        this.#waiters.delete(request.id);
        reject(new FacilityUnreachableError(kind, 'timeout'));
      }, options.timeoutMs);
      this.#waiters.set(request.id, { resolve, reject, timer, what: kind });
      options.signal?.addEventListener('abort', () => this.#fail(request.id, new CancelledError(kind, { cause: options.signal?.reason })), {
        once: true,
      });
    });
    send(request).catch((err: unknown) => this.#fail(request.id, new FacilityUnreachableError(kind, 'offline', { cause: err })));
    const response = await answer;
    if (!response.ok) throw new FacilityRefusedError(kind, response.error?.code ?? 'UNKNOWN', response.error?.message ?? '');
    return response;
  }

  onResponse(response: Response): void {
    const w = this.#waiters.get(response.requestId);
    if (!w) {
      this.log.debug('answer to an unknown or expired request dropped', { requestId: response.requestId });
      return;
    }
    this.#waiters.delete(response.requestId);
    w.timer.cancel();
    w.resolve(response);
  }

  #fail(id: string, err: unknown): void {
    const w = this.#waiters.get(id);
    if (!w) return;
    this.#waiters.delete(id);
    w.timer.cancel();
    w.reject(err);
  }

  /** Rejects everything outstanding (link closed). */
  closeAll(): void {
    for (const [id, w] of this.#waiters) this.#fail(id, new FacilityUnreachableError(w.what, 'closed'));
  }
}

/** The request fields that name the visit's card. */
export function cardFields(card: CardOfVisit): { visitId: string; certificateSerial: string; certificate: string } {
  return {
    visitId: card.visitId,
    certificateSerial: card.certificateSerial,
    certificate: Buffer.from(card.certificate).toString('base64'),
  };
}
