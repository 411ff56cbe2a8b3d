/**
 * The result records the facility stored, read through one small interface so the console does
 * not depend on how the facility keeps them (today the facility simulator's FacilityDb; a
 * production store behind the same two methods later).
 */
import type { VisitResult } from '../../../firmware/ports/facility-link.ts';
import type { SimFacility } from '../sim-facility.ts';

export interface StoredResults {
  /** Undefined when the store cannot be read now, with the reason. */
  unavailable(): string | undefined;
  /** The newest `limit` records, newest first. */
  latest(limit: number): readonly VisitResult[];
}

/** The facility simulator's records of `facility` (while it is up). */
export function simFacilityResults(facility: () => SimFacility | undefined): StoredResults {
  return {
    unavailable() {
      const f = facility();
      if (!f) return 'no simulated reader is running';
      return f.simulator ? undefined : 'the facility is down: its records cannot be read until it is up again';
    },
    latest(limit) {
      const db = facility()?.simulator?.db;
      if (!db) return [];
      return [...db.results.values()].slice(-limit).reverse();
    },
  };
}
