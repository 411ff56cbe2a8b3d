/**
 * The reader's requests (`kaoreader.request/2`):
 * - `qualify`: the card's certificate is checked (chain, validity now, revocation) before the
 *   qualification provider is asked; the answer carries a fresh random challenge bound to this
 *   facility, reader, visit and card, expiring after `challengeTtlMs`, durably stored before the
 *   answer goes out.
 * - `prove`: the card's signature over that challenge, checked like a result's proof
 *   (proof-verifier.ts); the facility records that it saw it in time.
 * - `register`: 健康保険証利用登録 through the provider, only for a card whose challenge in this
 *   visit was proved, and only with a certificate that passes the same checks as at `qualify`
 *   (chain, validity now, revocation) and is the proved card's (its serial is the challenge's).
 * Every refusal is answered with its typed code and recorded (refusals table + audit log).
 */
import type { ErrorCode } from '../../firmware/core/error-codes.ts';
import { uuidv7 } from '../../firmware/core/uuidv7.ts';
import type { Request, Response } from '../../firmware/facility/messages/types.ts';
import type { QualificationAnswer } from '../../firmware/ports/facility-link.ts';
import { QualificationError, type QualificationQuery } from '../qualification/provider.ts';
import type { RefusalKind } from '../store/store.ts';
import { ProofRefusedError, RevocationUnknownError } from '../verify/errors.ts';
import { normaliseSerial } from '../verify/trust-anchors.ts';
import { newChallenge } from './challenge-value.ts';
import { writeJob, type CommitQueue } from './commit-queue.ts';
import type { FacilityServiceOptions } from './service-options.ts';

/** What the request handler takes of the service's options, plus its queue and a per-answer hook. */
export type RequestHandlerOptions = Pick<
  FacilityServiceOptions,
  | 'facilityId'
  | 'store'
  | 'verifier'
  | 'provider'
  | 'clock'
  | 'log'
  | 'audit'
  | 'challengeTtlMs'
  | 'providerTimeoutMs'
  | 'consentItems'
  | 'ePrescription'
> & {
  readonly queue: CommitQueue;
  /** Per answered request: kind and the error code (undefined when ok). */
  readonly onAnswer?: (kind: Request['kind'], code: string | undefined, proofRefusal: boolean) => void;
};

class Refusal extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly detail: string,
    readonly record: boolean,
  ) {
    super(detail);
  }
}

export class RequestHandler {
  constructor(private readonly o: RequestHandlerOptions) {}

  /** Answers one request (never throws: every failure becomes an error response). */
  async handle(req: Request): Promise<Response> {
    try {
      const answer = await this.#dispatch(req);
      this.o.onAnswer?.(req.kind, undefined, false);
      return { schema: 'kaoreader.response/1', requestId: req.id, ok: true, ...(answer ? { answer } : {}) };
    } catch (err) {
      const refusal = this.#refusal(err);
      this.o.onAnswer?.(req.kind, refusal.code, err instanceof ProofRefusedError);
      if (refusal.record)
        await this.#record(req, refusal).catch((e: unknown) =>
          this.o.log.error('refusal record not written', { requestId: req.id, err: e }),
        );
      this.o.audit.record(`${req.kind}-refused`, {
        readerId: req.readerId,
        visitId: req.visitId,
        certificateSerial: req.certificateSerial,
        code: refusal.code,
      });
      return {
        schema: 'kaoreader.response/1',
        requestId: req.id,
        ok: false,
        error: { code: refusal.code, message: refusal.detail.slice(0, 400) },
      };
    }
  }

  #refusal(err: unknown): Refusal {
    if (err instanceof Refusal) return err;
    if (err instanceof ProofRefusedError) return new Refusal(err.code, err.detail, true);
    if (err instanceof RevocationUnknownError) return new Refusal(err.code, err.message, false);
    if (err instanceof QualificationError) return new Refusal(err.code, err.message, false);
    this.o.log.error('request failed', { err });
    return new Refusal('FACILITY_ERROR', 'the facility could not answer', false);
  }

  #dispatch(req: Request): Promise<QualificationAnswer | undefined> {
    switch (req.kind) {
      case 'qualify':
        return this.#qualify(req);
      case 'prove':
        return this.#prove(req).then(() => undefined);
      case 'register':
        return this.#register(req).then(() => undefined);
    }
  }

  async #qualify(req: Request): Promise<QualificationAnswer> {
    const now = this.o.clock.now();
    const cert = this.o.verifier.certificate(req.certificate ?? '', req.certificateSerial, now);
    const der = Buffer.from(req.certificate ?? '', 'base64');
    const found = await this.#ask((q, signal) => this.o.provider.confirm(q, signal), {
      certificateSerial: cert.serial,
      certificate: der,
      facilityId: this.o.facilityId,
      at: new Date(now),
    });
    const previous = await this.o.store.previousConsent(this.o.facilityId, cert.serial);
    const challenge = newChallenge(now);
    const snapshot = JSON.stringify({ insured: found.insured, person: found.person });
    const { job, done } = writeJob((b) =>
      b.challenges.push({
        challenge,
        facilityId: this.o.facilityId,
        readerId: req.readerId,
        visitId: req.visitId,
        certificateSerial: cert.serial,
        issuedAt: now,
        expiresAt: now + this.o.challengeTtlMs,
        redeemedAt: undefined,
        usedBy: undefined,
        qualification: snapshot,
      }),
    );
    this.o.queue.push(job);
    await done; // the challenge is durable before anybody can sign it
    return {
      registered: found.registered,
      ...(found.registered && found.insured ? { insured: found.insured } : {}),
      ...(previous ? { previousConsent: previous } : {}),
      consentItems: [...this.o.consentItems],
      ePrescription: this.o.ePrescription,
      challenge,
    };
  }

  async #prove(req: Request): Promise<void> {
    const now = this.o.clock.now();
    const claim = {
      readerId: req.readerId,
      visitId: req.visitId,
      certificateSerial: req.certificateSerial,
      certificate: req.certificate ?? '',
      challenge: req.challenge ?? '',
      signature: req.signature ?? '',
    };
    const record = (await this.o.store.challenges([claim.challenge])).get(claim.challenge);
    this.o.verifier.verify(claim, record, { kind: 'prove' }, now);
    if (record?.redeemedAt !== undefined) return;
    const { job, done } = writeJob((b) => b.redemptions.push({ challenge: claim.challenge, at: now }));
    this.o.queue.push(job);
    await done;
  }

  async #register(req: Request): Promise<void> {
    const challenge = req.challenge ?? '';
    const record = (await this.o.store.challenges([challenge])).get(challenge);
    const serial = normaliseSerial(req.certificateSerial);
    if (
      !record ||
      record.facilityId !== this.o.facilityId ||
      record.readerId !== req.readerId ||
      record.visitId !== req.visitId ||
      record.certificateSerial !== serial ||
      record.redeemedAt === undefined
    ) {
      throw new Refusal('REGISTRATION_REFUSED', "registration needs the card's proof in this visit (prove first)", true);
    }
    // The provider gets only a certificate checked here and of the card that proved the challenge.
    const now = this.o.clock.now();
    const cert = this.o.verifier.certificate(req.certificate ?? '', record.certificateSerial, now);
    const der = Buffer.from(req.certificate ?? '', 'base64');
    await this.#ask((q, signal) => this.o.provider.register(q, signal), {
      certificateSerial: cert.serial,
      certificate: der,
      facilityId: this.o.facilityId,
      at: new Date(now),
    });
  }

  /** A provider call with the facility's timeout (the provider must honour the signal). */
  async #ask<T>(call: (q: QualificationQuery, signal: AbortSignal) => Promise<T>, q: QualificationQuery): Promise<T> {
    const ac = new AbortController();
    const timer = this.o.clock.setTimeout(() => ac.abort(), this.o.providerTimeoutMs);
    try {
      return await Promise.race([
        call(q, ac.signal),
        new Promise<never>((_, reject) =>
          ac.signal.addEventListener(
            'abort',
            () =>
              reject(
                new QualificationError(
                  'QUALIFICATION_TIMEOUT',
                  `the qualification provider did not answer within ${this.o.providerTimeoutMs} ms`,
                ),
              ),
            { once: true },
          ),
        ),
      ]);
    } finally {
      timer.cancel();
    }
  }

  #record(req: Request, r: Refusal): Promise<void> {
    const kind: RefusalKind = req.kind;
    const { job, done } = writeJob((b) =>
      b.refusals.push({
        id: uuidv7(this.o.clock.now()),
        facilityId: this.o.facilityId,
        readerId: req.readerId,
        kind,
        code: r.code,
        detail: r.detail,
        at: this.o.clock.now(),
        visitId: req.visitId,
      }),
    );
    this.o.queue.push(job);
    return done;
  }
}
