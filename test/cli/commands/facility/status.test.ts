import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { statusSummary } from '../../../../cli/commands/facility/status.ts';
import type { StoreCounts } from '../../../../facility/store/store.ts';

const NOW = Date.parse('2026-12-07T10:00:00Z');
const counts: StoreCounts = { results: 12, accepted: 10, refusals: 2, challenges: 14, xmlPending: 3, xmlOldestPendingAt: NOW - 5 * 60_000 };

test('the summary says how many clinic-system files are still to write, and since when, only where the service writes them', () => {
  assert.is(
    statusSummary('clinic-a', 'sqlite', counts, 4, true, NOW),
    'clinic-a (sqlite): 12 results (10 accepted), 2 refusals, 4 readers\nclinic-system XML files to write: 3, oldest received 5m ago',
  );
  assert.is(
    statusSummary('clinic-a', 'sqlite', counts, 4, false, NOW),
    'clinic-a (sqlite): 12 results (10 accepted), 2 refusals, 4 readers',
  );
  assert.is(
    statusSummary('clinic-a', 'postgres', { ...counts, xmlPending: 0, xmlOldestPendingAt: undefined }, 4, true, NOW).split('\n')[1],
    'clinic-system XML files to write: 0',
  );
});

test.run();
