/**
 * Accepted results with real proofs, made the way a reader makes them: `qualify` (the facility
 * checks the card and issues a challenge for this visit), the card's user-auth key signs the
 * challenge (PKCS#1 v1.5, SHA-256, as the card does), `prove` while it is fresh. `prefetch`
 * does this ahead for benches and fault runs, a bounded number at a time; `result()` then
 * builds the accepted result around one prepared proof.
 */
import { sign } from 'node:crypto';
import { newResultId } from '../../firmware/core/uuidv7.ts';
import type { FacilityLink, VisitResult } from '../../firmware/ports/facility-link.ts';
import type { BenchCard } from '../card/bench-cards.ts';

export interface PreparedProof {
  readonly visitId: string;
  readonly card: BenchCard;
  readonly challenge: string;
  readonly signature: Buffer;
  /** The certificate and signature as the result carries them (base64), encoded once while preparing. */
  readonly certificateB64: string;
  readonly signatureB64: string;
}

export class ProofSource {
  readonly #ready: PreparedProof[] = [];
  #n = 0;
  constructor(
    private readonly link: Pick<FacilityLink, 'qualify' | 'prove'>,
    private readonly cards: readonly BenchCard[],
    private readonly readerId: string,
    private readonly timeoutMs = 10_000,
  ) {}

  get available(): number {
    return this.#ready.length;
  }

  /** One visit's proof: qualify, sign, prove. */
  async one(): Promise<PreparedProof> {
    const i = this.#n++;
    const card = this.cards[i % this.cards.length];
    if (!card) throw new RangeError('no bench cards');
    const visitId = `${this.readerId}-v${i}`;
    const ref = { visitId, certificateSerial: card.serial, certificate: card.certificate };
    const answer = await this.link.qualify(ref, { timeoutMs: this.timeoutMs });
    const signature = sign('sha256', Buffer.from(answer.challenge, 'hex'), card.key);
    await this.link.prove({ ...ref, challenge: answer.challenge, signature }, { timeoutMs: this.timeoutMs });
    return {
      visitId,
      card,
      challenge: answer.challenge,
      signature,
      certificateB64: Buffer.from(card.certificate).toString('base64'),
      signatureB64: signature.toString('base64'),
    };
  }

  /** Prepares `count` proofs, `concurrency` at a time. */
  async prefetch(count: number, concurrency = 16): Promise<void> {
    let left = count;
    await Promise.all(
      Array.from({ length: Math.max(1, Math.min(concurrency, count)) }, async () => {
        for (; left > 0;) {
          left -= 1;
          this.#ready.push(await this.one());
        }
      }),
    );
  }

  /** An accepted result around the next prepared proof (undefined when none is left). */
  result(processingMs = 900): VisitResult | undefined {
    const p = this.#ready.shift();
    if (!p) return undefined;
    const now = new Date().toISOString();
    return {
      schema: 'kaoreader.result/1',
      id: newResultId(),
      readerId: this.readerId,
      visitId: p.visitId,
      startedAt: now,
      finishedAt: now,
      method: 'pin',
      outcome: 'accepted',
      segment: 1,
      certificateSerial: p.card.serial,
      certificate: p.certificateB64,
      challenge: p.challenge,
      signature: p.signatureB64,
      processingMs,
      consent: { mode: 'all', items: { surgery: true, treatment: true, medication: true, checkups: true }, at: now },
      prescription: 'electronic',
    };
  }
}
