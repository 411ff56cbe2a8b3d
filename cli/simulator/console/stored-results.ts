/**
 * The result records the facility stored, read through one small interface so the console does
 * not depend on how the facility keeps them (the facility service's database).
 */
import type { VisitResult } from '../../../firmware/ports/facility-link.ts';
import type { SimFacility } from '../sim-facility.ts';

export interface StoredResults {
  /** Undefined when the store cannot be read now, with the reason. */
  unavailable(): string | undefined;
  /** The newest `limit` records, newest first. */
  latest(limit: number): Promise<readonly VisitResult[]>;
}

/** The facility simulator's records of `facility` (while it is up). */
export function simFacilityResults(facility: () => SimFacility | undefined): StoredResults {
  return {
    unavailable() {
      const f = facility();
      if (!f) return 'no simulated reader is running';
      return f.simulator ? undefined : 'the facility is down: its records cannot be read until it is up again';
    },
    async latest(limit) {
      const sim = facility()?.simulator;
      return sim ? sim.recent(limit) : [];
    },
  };
}
