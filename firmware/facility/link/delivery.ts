/**
 * Delivery of outbox records: publishes pending records in outbox order, at most `window` in
 * flight, and removes a record only when the facility's ack (`kaoreader.ack/1`, stored: true)
 * names it. No ack within `ackTimeoutMs` → published again with exponential backoff (capped,
 * jittered). A disconnect forgets what was in flight, so a reconnect resends every unacked
 * record from the oldest; the facility dedupes by id. A permanent refusal (the facility refused
 * the result's proof and recorded it as refused: messages/refusals.ts) is final: the record
 * leaves the outbox, since resending it can never succeed. A final refusal of the message itself
 * (MESSAGE_INVALID and the like: messages/refusals.ts) makes the record a dead letter: kept in
 * the outbox, counted in the health report, not resent. Any other refusal is resent.
 */
import type { Logger } from '../../core/logger.ts';
import type { Clock, TimerHandle } from '../../ports/clock.ts';
import type { Outbox, OutboxRecord } from '../outbox/outbox.ts';
import { isFinalMessageRefusal, isProofRefusal } from '../messages/refusals.ts';

export interface DeliveryOptions {
  readonly outbox: Outbox;
  readonly clock: Clock;
  readonly log: Logger;
  /** Sends one record (QoS 1); rejects when the client could not queue it. */
  readonly publish: (record: OutboxRecord) => Promise<void>;
  readonly window?: number;
  readonly ackTimeoutMs?: number;
  readonly backoffMinMs?: number;
  readonly backoffMaxMs?: number;
  /** Called once per record when the facility confirmed it: ms from append to ack, and from the last publish to ack. */
  readonly onDelivered?: (id: string, latencyMs: number, flightMs: number) => void;
  /** Called once per record the facility refused for good (its code from messages/refusals.ts). */
  readonly onRefused?: (id: string, code: string) => void;
}

interface Flight {
  attempts: number;
  timer: TimerHandle | undefined;
  waiting: boolean;
  sentAt: number;
}

export class Delivery {
  readonly #o: DeliveryOptions & { window: number; ackTimeoutMs: number; backoffMinMs: number; backoffMaxMs: number };
  #flights = new Map<string, Flight>();
  #online = false;
  #pumping = false;
  #again = false;
  /** Counters for health and tests. */
  readonly stats = { published: 0, republished: 0, acked: 0, duplicateAcks: 0, rejectedAcks: 0, refused: 0, deadLettered: 0 };

  constructor(o: DeliveryOptions) {
    this.#o = { window: 32, ackTimeoutMs: 5000, backoffMinMs: 250, backoffMaxMs: 30_000, ...o };
  }

  get inFlight(): number {
    return this.#flights.size;
  }

  setOnline(online: boolean): void {
    this.#online = online;
    if (!online) {
      for (const f of this.#flights.values()) f.timer?.cancel();
      this.#flights.clear();
    } else this.pump();
  }

  /** Looks for work: call after an append, an ack, a reconnect. */
  pump(): void {
    if (this.#pumping) {
      this.#again = true;
      return;
    }
    this.#pumping = true;
    try {
      for (let guard = 0; guard < 1000; guard++) {
        this.#again = false;
        const room = this.#o.window - this.#flights.size;
        if (!this.#online || room <= 0) return;
        const next = this.#o.outbox.pending(room, this.#flights); // skips what is in flight (no copy of its ids per pump)
        for (const r of next) this.#send(r, { attempts: 0, timer: undefined, waiting: false, sentAt: 0 });
        if (!this.#again) return;
      }
    } finally {
      this.#pumping = false;
    }
  }

  #send(r: OutboxRecord, f: Flight): void {
    f.waiting = false;
    f.sentAt = this.#o.clock.monotonic();
    this.#flights.set(r.id, f);
    if (f.attempts > 0) this.stats.republished += 1;
    else this.stats.published += 1;
    f.timer = this.#o.clock.setTimeout(() => this.#retry(r, f, 'no ack'), this.#o.ackTimeoutMs);
    this.#o.publish(r).catch((err: unknown) => {
      f.timer?.cancel();
      this.#retry(r, f, 'publish failed', err);
    });
  }

  #retry(r: OutboxRecord, f: Flight, why: string, err?: unknown): void {
    if (this.#flights.get(r.id) !== f || !this.#online) return;
    f.attempts += 1;
    f.waiting = true;
    const base = Math.min(this.#o.backoffMaxMs, this.#o.backoffMinMs * 2 ** Math.min(f.attempts - 1, 20));
    const delay = Math.round(base / 2 + (Math.random() * base) / 2);
    this.#o.log.warn('result not confirmed; will resend', { id: r.id, why, attempts: f.attempts, delayMs: delay, err });
    f.timer = this.#o.clock.setTimeout(() => {
      if (this.#flights.get(r.id) !== f || !this.#o.outbox.has(r.id)) return;
      this.#send(r, f);
    }, delay);
  }

  /** The facility answered for `id`. */
  onAck(id: string, stored: boolean, error?: { code: string; message: string }): Promise<void> {
    const f = this.#flights.get(id);
    if (!stored && isProofRefusal(error?.code)) return this.#refused(id, error?.code ?? '', f);
    if (!stored && isFinalMessageRefusal(error?.code)) return this.#deadLetter(id, error?.code ?? '', f);
    if (!stored) {
      this.stats.rejectedAcks += 1;
      this.#o.log.error('facility refused to store a result; keeping it', { id, error });
      if (f) {
        f.timer?.cancel();
        const rec = this.#o.outbox.get(id);
        if (rec) this.#retry(rec, f, 'refused');
      }
      return Promise.resolve();
    }
    f?.timer?.cancel();
    const rec = this.#o.outbox.get(id);
    if (rec) this.#o.onDelivered?.(id, this.#o.clock.now() - rec.createdMs, f ? this.#o.clock.monotonic() - f.sentAt : NaN);
    this.#flights.delete(id);
    if (rec) {
      this.stats.acked += 1;
      // The record leaves the outbox's index at once; its ack record reaches the disk with the next write.
      this.#o.outbox
        .ack(id)
        .catch((err: unknown) => this.#o.log.warn('ack record not written; the result will be resent once', { id, err }));
    } else this.stats.duplicateAcks += 1;
    this.pump();
    return Promise.resolve();
  }

  #refused(id: string, code: string, f: Flight | undefined): Promise<void> {
    f?.timer?.cancel();
    this.#flights.delete(id);
    const rec = this.#o.outbox.get(id);
    if (rec) {
      this.stats.refused += 1;
      this.#o.log.error('the facility refused this result for good (recorded there as refused); it leaves the outbox', { id, code });
      this.#o.onRefused?.(id, code);
      this.#o.outbox
        .ack(id)
        .catch((err: unknown) => this.#o.log.warn('ack record of a refused result not written; it will be resent once', { id, err }));
    }
    this.pump();
    return Promise.resolve();
  }

  #deadLetter(id: string, code: string, f: Flight | undefined): Promise<void> {
    f?.timer?.cancel();
    this.#flights.delete(id);
    if (this.#o.outbox.has(id)) {
      this.stats.deadLettered += 1;
      this.#o.log.error('the facility cannot accept this message as sent; kept as a dead letter, not resent', { id, code });
      this.#o.outbox
        .deadLetter(id)
        .catch((err: unknown) =>
          this.#o.log.warn('dead-letter mark not written; held in memory, the record is sent once more after a restart', { id, err }),
        );
    }
    this.pump();
    return Promise.resolve();
  }

  stop(): void {
    this.setOnline(false);
  }
}
