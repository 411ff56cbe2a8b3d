/**
 * Scripted facility for one patient: answers qualification like the facility would for this
 * card (registered or not, consent items, previous consent here, e-prescription), registers it
 * when asked, keeps submitted results. `unreachable` rejects like a down link, after its timeout.
 */
import { randomBytes } from 'node:crypto';
import { KaoreaderError } from '../../../../firmware/core/errors.ts';
import type { Clock } from '../../../../firmware/ports/clock.ts';
import type { ConsentChoice, FacilityLink, QualificationAnswer, VisitResult } from '../../../../firmware/ports/facility-link.ts';
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
}

export class ScriptedFacility extends Scripted implements FacilityLink {
  readonly results: VisitResult[] = [];
  readonly challenges: string[] = [];
  registered: boolean;

  constructor(private readonly script: FacilityScript, allowed: readonly string[], private readonly clock: Clock) {
    super('facility', allowed);
    this.registered = script.registered ?? true;
  }

  async qualify(serial: string, options: { readonly timeoutMs: number; readonly signal?: AbortSignal }): Promise<QualificationAnswer> {
    this.call('qualify');
    if (this.script.unreachable) {
      await this.clock.sleep(options.timeoutMs, options.signal);
      throw new FacilityUnreachable('broker not reachable');
    }
    if (serial !== this.script.serial) throw new Error(`facility asked about unknown card ${serial}`);
    const challenge = randomBytes(32).toString('hex');
    this.challenges.push(challenge);
    return {
      registered: this.registered,
      ...(this.registered ? { insured: { insurerNumber: '06139993', symbol: '記号', number: '1234', branch: '01', copayRatio: '030', limitCategory: 'A', validity: 1 as const } } : {}),
      ...(this.script.previousConsent ? { previousConsent: this.script.previousConsent } : {}),
      consentItems: this.script.consentItems ?? ['surgery', 'treatment', 'medication', 'checkups'],
      ePrescription: this.script.ePrescription ?? false,
      challenge,
    };
  }

  register(serial: string): Promise<void> {
    this.call('register');
    if (serial !== this.script.serial) return Promise.reject(new Error('register for an unknown card'));
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
