/**
 * Results from readers, in batches (commit-queue.ts): a result stored before is acknowledged
 * again as a duplicate, one refused before gets the same refusal again, an accepted one is
 * stored only when its proof verifies (proof-verifier.ts), anything else (not accepted: no
 * identity claim) is stored as it came. Refusals get an audit record and a typed error ack;
 * nothing refused is stored as a result. The ack goes out only after the batch committed.
 */
import type { AuditLog, Logger } from '../../firmware/core/logger.ts';
import { uuidv7 } from '../../firmware/core/uuidv7.ts';
import type { Ack } from '../../firmware/facility/messages/types.ts';
import { isProofRefusal, REVOCATION_UNKNOWN, type ProofRefusalCode } from '../../firmware/facility/messages/refusals.ts';
import type { Clock } from '../../firmware/ports/clock.ts';
import type { VisitResult } from '../../firmware/ports/facility-link.ts';
import type { ResultFate, ResultRow, WriteBatch, FacilityStore } from '../store/store.ts';
import { ProofRefusedError, RevocationUnknownError } from '../verify/errors.ts';
import type { ProofVerifier } from '../verify/proof-verifier.ts';
import { normaliseSerial } from '../verify/trust-anchors.ts';
import type { BatchJob } from './commit-queue.ts';

type Verdict =
  | { readonly kind: 'store'; readonly row: ResultRow }
  | { readonly kind: 'duplicate' }
  | { readonly kind: 'refused'; readonly code: ProofRefusalCode; readonly detail: string; readonly fresh: boolean }
  | { readonly kind: 'retry'; readonly code: typeof REVOCATION_UNKNOWN; readonly detail: string };

export type ResultOutcome = 'stored' | 'duplicate' | 'refused' | 'retry';

export interface IntakeHooks {
  /** Per result, after commit (or failure): what happened and the refusal code if any. */
  onOutcome?(r: {
    readonly result: VisitResult;
    readonly outcome: ResultOutcome;
    readonly code?: string;
    readonly verified: boolean;
    readonly receivedAt: number;
  }): void;
  /** CPU spent verifying proofs in one batch (seconds) and how many proofs were checked. */
  onVerified?(cpuSeconds: number, proofs: number): void;
}

export class ResultJob implements BatchJob {
  verdict: Verdict | undefined;
  constructor(
    readonly facilityId: string,
    readonly result: VisitResult,
    readonly raw: string,
    readonly receivedAt: number,
    private readonly reply: (ack: Ack, outcome: ResultOutcome, code?: string) => void,
  ) {}

  contribute(batch: WriteBatch): void {
    const v = this.verdict;
    if (v?.kind === 'store') batch.results.push(v.row);
    if (v?.kind === 'refused' && v.fresh) {
      const r = this.result;
      batch.refusals.push({
        id: uuidv7(this.receivedAt),
        facilityId: this.facilityId,
        readerId: r.readerId,
        kind: 'result',
        code: v.code,
        detail: v.detail,
        at: this.receivedAt,
        resultId: r.id,
        visitId: r.visitId,
        payload: this.raw,
      });
    }
  }

  settle(fates: ReadonlyMap<string, ResultFate>): void {
    const id = this.result.id;
    const v = this.verdict;
    if (!v) return this.fail(new Error('result was not prepared'));
    switch (v.kind) {
      case 'store': {
        const fate = fates.get(id);
        if (fate === 'replayed')
          return this.reply(
            {
              schema: 'kaoreader.ack/1',
              id,
              stored: false,
              error: { code: 'CHALLENGE_REPLAYED', message: 'the challenge was used by another result' },
            },
            'refused',
            'CHALLENGE_REPLAYED',
          );
        return this.reply(
          { schema: 'kaoreader.ack/1', id, stored: true, duplicate: fate === 'duplicate' },
          fate === 'duplicate' ? 'duplicate' : 'stored',
        );
      }
      case 'duplicate':
        return this.reply({ schema: 'kaoreader.ack/1', id, stored: true, duplicate: true }, 'duplicate');
      case 'refused':
        return this.reply(
          { schema: 'kaoreader.ack/1', id, stored: false, error: { code: v.code, message: v.detail.slice(0, 400) } },
          'refused',
          v.code,
        );
      case 'retry':
        return this.reply(
          { schema: 'kaoreader.ack/1', id, stored: false, error: { code: v.code, message: v.detail.slice(0, 400) } },
          'retry',
          v.code,
        );
    }
  }

  fail(err: unknown): void {
    const code = (err as { code?: unknown }).code;
    this.reply(
      {
        schema: 'kaoreader.ack/1',
        id: this.result.id,
        stored: false,
        error: {
          code: typeof code === 'string' && /^[A-Z][A-Z0-9_]{1,40}$/.test(code) ? code : 'STORE_UNAVAILABLE',
          message: 'the facility could not store the result; resend',
        },
      },
      'retry',
      'STORE_UNAVAILABLE',
    );
  }
}

export class ResultIntake {
  constructor(
    private readonly o: {
      readonly store: FacilityStore;
      readonly verifier: ProofVerifier;
      readonly clock: Clock;
      readonly log: Logger;
      readonly audit: AuditLog;
      readonly hooks?: IntakeHooks;
    },
  ) {}

  /** The commit queue's `prepare` step for the result jobs of one batch. */
  async prepare(jobs: readonly BatchJob[]): Promise<void> {
    const rs = jobs.filter((j): j is ResultJob => j instanceof ResultJob);
    if (rs.length === 0) return;
    const ids = [...new Set(rs.map((j) => j.result.id))];
    const wanted = [...new Set(rs.flatMap((j) => (j.result.outcome === 'accepted' && j.result.challenge ? [j.result.challenge] : [])))];
    const { stored, refused, challenges } = await this.o.store.lookupResults(ids, wanted);
    const cpu0 = process.threadCpuUsage(); // this thread only: the SQLite thread may be committing the previous batch meanwhile
    let proofs = 0;
    const now = this.o.clock.now();
    for (const j of rs) {
      const r = j.result;
      const before = refused.get(r.id);
      if (stored.has(r.id)) j.verdict = { kind: 'duplicate' };
      else if (before !== undefined && isProofRefusal(before))
        j.verdict = { kind: 'refused', code: before, detail: 'refused before', fresh: false };
      else if (r.outcome !== 'accepted') j.verdict = { kind: 'store', row: this.#row(j, false) };
      else {
        proofs += 1;
        j.verdict = this.#verify(j, challenges.get(r.challenge ?? ''), now);
      }
    }
    const cpu = process.threadCpuUsage(cpu0);
    if (proofs > 0) this.o.hooks?.onVerified?.((cpu.user + cpu.system) / 1e6, proofs);
  }

  #verify(j: ResultJob, record: Parameters<ProofVerifier['verify']>[1], now: number): Verdict {
    const r = j.result;
    if (!r.certificate || !r.challenge || !r.signature || !r.certificateSerial)
      return {
        kind: 'refused',
        code: 'PROOF_MISSING',
        detail: 'an accepted result must carry certificate, challenge and signature',
        fresh: true,
      };
    try {
      this.o.verifier.verify(
        {
          readerId: r.readerId,
          visitId: r.visitId,
          certificateSerial: r.certificateSerial,
          certificate: r.certificate,
          challenge: r.challenge,
          signature: r.signature,
        },
        record,
        { kind: 'result', resultId: r.id },
        now,
      );
      return { kind: 'store', row: this.#row(j, true) };
    } catch (err) {
      if (err instanceof ProofRefusedError) return { kind: 'refused', code: err.code, detail: err.detail, fresh: true };
      if (err instanceof RevocationUnknownError) {
        this.o.log.warn('result held back: revocation status unknown', { id: r.id, issuer: err.issuer });
        return { kind: 'retry', code: REVOCATION_UNKNOWN, detail: err.message };
      }
      throw err;
    }
  }

  #row(j: ResultJob, verified: boolean): ResultRow {
    const r = j.result;
    return {
      id: r.id,
      facilityId: j.facilityId,
      readerId: r.readerId,
      visitId: r.visitId,
      outcome: r.outcome,
      method: r.method,
      certificateSerial: r.certificateSerial ? normaliseSerial(r.certificateSerial) : undefined,
      challenge: verified ? r.challenge : undefined,
      finishedAt: Date.parse(r.finishedAt),
      receivedAt: j.receivedAt,
      payload: j.raw,
      verified,
      consent: verified && r.consent ? r.consent : undefined,
    };
  }

  /** Audit and metrics for a settled result (the consumer calls this from the job's reply). */
  recordOutcome(result: VisitResult, outcome: ResultOutcome, receivedAt: number, code?: string): void {
    const verified = outcome === 'stored' && result.outcome === 'accepted';
    if (outcome === 'refused')
      this.o.audit.record('result-refused', {
        resultId: result.id,
        readerId: result.readerId,
        visitId: result.visitId,
        method: result.method,
        code,
        certificateSerial: result.certificateSerial,
      });
    else if (verified)
      this.o.audit.record('result-accepted', {
        resultId: result.id,
        readerId: result.readerId,
        visitId: result.visitId,
        method: result.method,
        certificateSerial: result.certificateSerial,
      });
    this.o.hooks?.onOutcome?.({ result, outcome, ...(code ? { code } : {}), verified, receivedAt });
  }
}
