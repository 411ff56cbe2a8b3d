/**
 * The counting report of a delivery run (Azure IoT Edge style): what the readers sent (results
 * each reader confirmed durable in its outbox, in the order it confirmed them) against what the
 * facility stored (read back from its store after the run, in stored order). Pure.
 */
export interface DeliveryCount {
  /** Results the readers confirmed durable. */
  readonly sent: number;
  /** Distinct results in the facility's store. */
  readonly received: number;
  /** Sent but not in the store: lost. Must be 0. */
  readonly unmatched: number;
  /** Stored more than once (the facility's dedupe failed). */
  readonly storedTwice: number;
  /** Stored after a result its reader sent later. */
  readonly outOfOrder: number;
  /** Where each of those stands in `sent` (0-based), in stored order. */
  readonly outOfOrderAt: readonly number[];
  /** Stored but never confirmed by a reader (it died between the write and the confirmation). */
  readonly extra: number;
  /** The first few lost ids, to look up. */
  readonly missing: readonly string[];
}

export function countDelivery(sent: readonly string[], stored: Iterable<string>): DeliveryCount {
  const order = new Map<string, number>();
  for (const [i, id] of sent.entries()) if (!order.has(id)) order.set(id, i);
  const seen = new Set<string>();
  let storedTwice = 0;
  let outOfOrder = 0;
  const outOfOrderAt: number[] = [];
  let extra = 0;
  let latest = -1;
  for (const id of stored) {
    if (seen.has(id)) {
      storedTwice += 1;
      continue;
    }
    seen.add(id);
    const at = order.get(id);
    if (at === undefined) {
      extra += 1;
      continue;
    }
    if (at < latest) {
      outOfOrder += 1;
      outOfOrderAt.push(at);
    } else latest = at;
  }
  const missing = [...order.keys()].filter((id) => !seen.has(id));
  return {
    sent: order.size,
    received: seen.size,
    unmatched: missing.length,
    storedTwice,
    outOfOrder,
    outOfOrderAt,
    extra,
    missing: missing.slice(0, 10),
  };
}

/**
 * Late arrivals a facility kill -9 explains: results sent within `window` of the moment the
 * facility was killed (`killedAt`: how many results had been sent then). The facility takes a
 * result from the broker (PUBACK) before it commits it, so the ones it held uncommitted die with
 * it; the reader resends them once the restarted facility is online, but the broker first hands
 * the restarted facility what the reader published between the kill and its last will (queued in
 * the facility's persistent session): those newer results are stored first. Nothing is lost or
 * stored twice; only the order across the crash. `window`: the reader's in-flight window plus
 * what it can publish before it sees the will.
 */
export function lateAtFacilityKill(count: Pick<DeliveryCount, 'outOfOrderAt'>, killedAt: number | undefined, window: number): number {
  if (killedAt === undefined) return 0;
  return count.outOfOrderAt.filter((at) => Math.abs(at - killedAt) <= window).length;
}
