/**
 * Scripted facility for one patient: answers qualification like the facility would for this
 * card (registered or not, consent items, previous consent here, e-prescription), registers it
 * when asked, keeps submitted results. `unreachable` rejects like a down link, after its timeout.
 */
import { randomBytes } from 'node:crypto';
import { KaoreaderError } from '../../../../firmware/core/errors.ts';
import type { Clock } from '../../../../firmware/ports/clock.ts';
import {
  FacilityRefusedError,
  type CardOfVisit,
  type ConsentChoice,
  type FacilityLink,
  type QualificationAnswer,
  type VisitProof,
  type VisitResult,
} from '../../../../firmware/ports/facility-link.ts';
import { Scripted } from './scripted.ts';

export class FacilityUnreachable extends KaoreaderError {
  readonly code = 'FACILITY_UNREACHABLE';
}

export interface FacilityScript {
  readonly serial: string;
  readonly registered?: boolean;
  readonly consentItems?: readonly string[];
  readonly previousConsent?: ConsentChoice;
  readonly ePrescription?: boolean;
  readonly unreachable?: boolean;
  /** The facility refuses the card's certificate at qualify with this code (e.g. CERTIFICATE_REVOKED). */
  readonly refuseQualify?: string;
  /** The facility refuses the visit's proof with this code (e.g. CHALLENGE_EXPIRED). */
  readonly refuseProof?: string;
}

export class ScriptedFacility extends Scripted implements FacilityLink {
  readonly results: VisitResult[] = [];
  readonly challenges: string[] = [];
  readonly proofs: VisitProof[] = [];
  registered: boolean;

  constructor(
    private readonly script: FacilityScript,
    allowed: readonly string[],
    private readonly clock: Clock,
  ) {
    super('facility', allowed);
    this.registered = script.registered ?? true;
  }

  async qualify(card: CardOfVisit, options: { readonly timeoutMs: number; readonly signal?: AbortSignal }): Promise<QualificationAnswer> {
    this.call('qualify');
    if (this.script.unreachable) {
      await this.clock.sleep(options.timeoutMs, options.signal);
      throw new FacilityUnreachable('broker not reachable');
    }
    const serial = card.certificateSerial;
    if (serial !== this.script.serial) throw new Error(`facility asked about unknown card ${serial}`);
    if (card.certificate.length === 0) throw new Error('qualify without the certificate');
    if (this.script.refuseQualify) throw new FacilityRefusedError('qualify', this.script.refuseQualify, 'refused by the scripted facility');
    const challenge = randomBytes(32).toString('hex');
    this.challenges.push(challenge);
    return {
      registered: this.registered,
      ...(this.registered
        ? {
            insured: {
              insurerNumber: '06139993',
              symbol: '記号',
              number: '1234',
              branch: '01',
              copayRatio: '030',
              limitCategory: 'A',
              validity: 1 as const,
            },
          }
        : {}),
      ...(this.script.previousConsent ? { previousConsent: this.script.previousConsent } : {}),
      consentItems: this.script.consentItems ?? ['surgery', 'treatment', 'medication', 'checkups'],
      ePrescription: this.script.ePrescription ?? false,
      challenge,
    };
  }

  prove(proof: VisitProof): Promise<void> {
    this.call('prove');
    if (!this.challenges.includes(proof.challenge)) return Promise.reject(new Error('prove with a challenge this facility never issued'));
    if (this.script.refuseProof)
      return Promise.reject(new FacilityRefusedError('prove', this.script.refuseProof, 'refused by the scripted facility'));
    this.proofs.push(proof);
    return Promise.resolve();
  }

  register(card: CardOfVisit & { readonly challenge: string }): Promise<void> {
    this.call('register');
    if (card.certificateSerial !== this.script.serial) return Promise.reject(new Error('register for an unknown card'));
    this.registered = true;
    return Promise.resolve();
  }

  submitResult(result: VisitResult): Promise<void> {
    this.call('submitResult');
    this.results.push(result);
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
