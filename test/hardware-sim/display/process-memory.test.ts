import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { difference, parseStatus, snapshot, topFiles } from '../../../hardware-sim/display/process-memory.ts';

test('parseStatus reads RSS and its parts in MB', () => {
  const s = parseStatus('Name:\tnode\nVmRSS:\t  204800 kB\nRssAnon:\t  153600 kB\nRssFile:\t   51200 kB\nRssShmem:\t       0 kB\nThreads:\t16\n');
  assert.equal(s, { rssMb: 200, anonMb: 150, fileMb: 50, shmemMb: 0, threads: 16 });
});

test('topFiles sums resident pages per file, largest first, without anonymous maps', () => {
  const smaps = [
    '7f00-7f10 r--p 00000000 08:01 12 /usr/share/fonts/a.ttc', 'Size: 20000 kB', 'Rss: 1024 kB',
    '7f10-7f20 r--p 00000000 08:01 12 /usr/share/fonts/a.ttc', 'Size: 20000 kB', 'Rss: 2048 kB',
    '7f20-7f30 rw-p 00000000 00:00 0 ', 'Rss: 99999 kB',
    '7f30-7f40 r-xp 00000000 08:01 13 /usr/lib/libvips.so', 'Rss: 1536 kB',
  ].join('\n');
  assert.equal(topFiles(smaps, 5), [{ file: '/usr/share/fonts/a.ttc', mb: 3 }, { file: '/usr/lib/libvips.so', mb: 1.5 }]);
});

test('difference subtracts field by field', () => {
  const a = snapshot();
  const d = difference(a, a);
  assert.is(d.rssMb, 0);
  assert.is(d.threads, 0);
  assert.ok(a.rssMb > 0 && a.anonMb + a.fileMb > 0);
});

test.run();
