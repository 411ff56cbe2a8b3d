/**
 * The facility service's parts and settings (composed in facility/compose.ts): one type, from
 * which each part Picks what it takes (RequestHandler: requests.ts).
 */
import type { KeyObject } from 'node:crypto';
import type { AuditLog, Logger } from '../../firmware/core/logger.ts';
import type { Clock } from '../../firmware/ports/clock.ts';
import type { QualificationProvider } from '../qualification/provider.ts';
import type { FacilityStore } from '../store/store.ts';
import type { ProofVerifier } from '../verify/proof-verifier.ts';
import type { Revocation } from '../verify/revocation.ts';
import type { BrokerSettings } from './mqtt-consumer.ts';

export interface FacilityServiceOptions {
  readonly facilityId: string;
  readonly broker: BrokerSettings;
  readonly store: FacilityStore;
  readonly provider: QualificationProvider;
  readonly verifier: ProofVerifier;
  readonly revocation: Revocation;
  readonly clock: Clock;
  readonly log: Logger;
  readonly audit: AuditLog;
  readonly challengeTtlMs: number;
  readonly providerTimeoutMs: number;
  readonly consentItems: readonly string[];
  readonly ePrescription: boolean;
  readonly xml?: { readonly dir: string; readonly institutionCode: string } | undefined;
  readonly maxBatch?: number;
  /** The facility command key (Ed25519 private) that signs every command; none: no command is sent. */
  readonly commandKey?: KeyObject | undefined;
}
