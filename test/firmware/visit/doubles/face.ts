/**
 * Scripted face verifier for one scenario: enrols only the photo the scenario's card holds,
 * then answers each attempt with the next scripted decision after `decisionMs` of (fake) time,
 * sending the scripted guidance hints first; `beginHints` are what the attempt begun during the card
 * read sends; what the visit reports of each hint's drawing is kept in `drawn` (hint, and the time
 * it was on the panel or undefined). More attempts than scripted → throws.
 */
import type { Clock } from '../../../../firmware/ports/clock.ts';
import type { FaceDecision, FaceGuidance, ShowGuidance, VisitFace } from '../../../../firmware/visit/deps.ts';
import { Scripted } from './scripted.ts';

export class ScriptedFace extends Scripted implements VisitFace {
  enrolled: Uint8Array | undefined;
  wipes = 0;
  readonly drawn: Promise<readonly [FaceGuidance, number | undefined]>[] = [];
  #decisions: FaceDecision[];

  constructor(
    private readonly expectedPhoto: Uint8Array,
    decisions: readonly FaceDecision[],
    private readonly clock: Clock,
    private readonly opts: { decisionMs?: number; hints?: readonly FaceGuidance[]; beginHints?: readonly FaceGuidance[] } = {},
  ) {
    super('face', decisions.length > 0 ? ['enrol', 'verify'] : []);
    this.#decisions = [...decisions];
  }

  /** The attempt begun while the card is read: sends `beginHints` at once (not a scripted call). */
  begin(options: { readonly signal: AbortSignal; readonly onGuidance: ShowGuidance }): void {
    for (const hint of this.opts.beginHints ?? []) this.#show(options.onGuidance, hint);
  }

  #show(onGuidance: ShowGuidance, hint: FaceGuidance): void {
    this.drawn.push(onGuidance(hint).then((at) => [hint, at] as const));
  }

  enrol(photo: Uint8Array): Promise<void> {
    this.call('enrol');
    if (Buffer.compare(Buffer.from(photo), Buffer.from(this.expectedPhoto)) !== 0)
      return Promise.reject(new Error("enrolled a photo that is not the card holder's"));
    this.enrolled = Uint8Array.from(photo);
    return Promise.resolve();
  }

  async verify(options: { readonly signal: AbortSignal; readonly onGuidance: ShowGuidance }): Promise<FaceDecision> {
    this.call('verify');
    if (!this.enrolled) throw new Error('verify before enrol');
    const next = this.#decisions.shift();
    if (!next) throw new Error('face: more attempts than the scenario scripted');
    for (const hint of this.opts.hints ?? []) this.#show(options.onGuidance, hint);
    await this.clock.sleep(this.opts.decisionMs ?? 800, options.signal);
    return next;
  }

  wipe(): void {
    this.enrolled?.fill(0);
    this.enrolled = undefined;
    this.wipes += 1;
  }
}
