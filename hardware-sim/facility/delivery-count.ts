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
    if (at < latest) outOfOrder += 1;
    else latest = at;
  }
  const missing = [...order.keys()].filter((id) => !seen.has(id));
  return { sent: order.size, received: seen.size, unmatched: missing.length, storedTwice, outOfOrder, extra, missing: missing.slice(0, 10) };
}
