/**
 * `kaoreader facility status --config FILE [--json]`: every reader the facility database knows,
 * from its last status and health reports: online, firmware version, outbox depth, oldest
 * undelivered age, dead letters (results the facility refused for good, kept on the reader),
 * last result; and the database's counts, with the clinic-system XML files still to write
 * (a growing count or an old oldest one: the bridge is failing; /metrics says whether it is
 * retrying or has parked them). Reads the database only (works whether or not the service is running).
 */
import type { ReaderRow, StoreCounts } from '../../../facility/store/store.ts';
import { parse, UsageError } from '../../args.ts';
import type { Command } from '../../command.ts';

const ago = (ms: number | undefined, now: number): string => {
  if (ms === undefined) return '-';
  const s = Math.max(0, Math.round((now - ms) / 1000));
  return s < 120 ? `${s}s ago` : s < 7200 ? `${Math.round(s / 60)}m ago` : `${Math.round(s / 3600)}h ago`;
};

export function statusRows(readers: readonly ReaderRow[], now: number): Record<string, unknown>[] {
  return readers.map((r) => ({
    reader: r.readerId,
    online: r.state === 'online',
    firmwareVersion: r.firmwareVersion ?? null,
    outboxDepth: r.outboxDepth ?? null,
    oldestUndeliveredS: r.oldestUndeliveredAgeMs === undefined ? null : Math.round(r.oldestUndeliveredAgeMs / 1000),
    deadLetters: r.deadLetters ?? null,
    lastResultAt: r.lastResultAt === undefined ? null : new Date(r.lastResultAt).toISOString(),
    lastResultOutcome: r.lastResultOutcome ?? null,
    lastSeenAt: new Date(r.lastSeenAt).toISOString(),
    healthAgeS: r.healthAt === undefined ? null : Math.round((now - r.healthAt) / 1000),
  }));
}

export function statusTable(readers: readonly ReaderRow[], now: number): string {
  const head = ['READER', 'ONLINE', 'FIRMWARE', 'OUTBOX', 'OLDEST UNDELIVERED', 'DEAD LETTERS', 'LAST RESULT', 'LAST SEEN'];
  const rows = readers.map((r) => [
    r.readerId,
    r.state === 'online' ? 'yes' : r.state === 'offline' ? 'no' : '?',
    r.firmwareVersion ?? '-',
    r.outboxDepth === undefined ? '-' : String(r.outboxDepth),
    r.oldestUndeliveredAgeMs === undefined ? '-' : `${Math.round(r.oldestUndeliveredAgeMs / 1000)}s`,
    r.deadLetters === undefined ? '-' : String(r.deadLetters),
    r.lastResultAt === undefined ? '-' : `${ago(r.lastResultAt, now)} (${r.lastResultOutcome ?? '?'})`,
    ago(r.lastSeenAt, now),
  ]);
  const width = head.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  return [head, ...rows]
    .map((row) =>
      row
        .map((c, i) => c.padEnd(width[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** The summary line: results, refusals, readers, and (when the service writes XML files) what is still to write. */
export function statusSummary(facilityId: string, kind: string, counts: StoreCounts, readers: number, xml: boolean, now: number): string {
  const head = `${facilityId} (${kind}): ${counts.results} results (${counts.accepted} accepted), ${counts.refusals} refusals, ${readers} readers`;
  if (!xml) return head;
  const oldest = counts.xmlOldestPendingAt === undefined ? '' : `, oldest received ${ago(counts.xmlOldestPendingAt, now)}`;
  return `${head}\nclinic-system XML files to write: ${counts.xmlPending}${oldest}`;
}

export const status: Command = {
  name: 'status',
  summary: '(facility IT) every reader: online, firmware, outbox, last result',
  usage: "kaoreader facility status --config FILE [--json]\n\nReads the facility database named in FILE (the service's configuration).",
  async run(argv, ctx) {
    const { values } = parse(argv, { config: { type: 'string' }, json: { type: 'boolean' } });
    if (!values.config) throw new UsageError('--config FILE is required');
    const { loadFacilityConfig } = await import('../../../facility/config/load.ts');
    const { openFacilityStore } = await import('../../../facility/store/open-store.ts');
    const config = await loadFacilityConfig(values.config);
    const store = await openFacilityStore(config.store);
    try {
      const now = Date.now();
      const readers = await store.readers(config.facilityId);
      const counts = await store.counts(config.facilityId);
      if (values.json)
        ctx.stdout.write(
          `${JSON.stringify({ facilityId: config.facilityId, store: store.kind, counts, readers: statusRows(readers, now) })}\n`,
        );
      else
        ctx.stdout.write(
          `${statusSummary(config.facilityId, store.kind, counts, readers.length, config.xml !== undefined, now)}\n${statusTable(readers, now)}\n`,
        );
    } finally {
      await store.close();
    }
    return 0;
  },
};
