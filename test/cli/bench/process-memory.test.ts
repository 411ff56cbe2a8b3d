import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { difference, parseStatus, snapshot, topFiles } from '../../../cli/bench/process-memory.ts';

test('parseStatus reads RSS and its parts in MB', () => {
  const s = parseStatus(
    'Name:\tnode\nVmRSS:\t  204800 kB\nRssAnon:\t  153600 kB\nRssFile:\t   51200 kB\nRssShmem:\t       0 kB\nThreads:\t16\n',
  );
  assert.equal(s, { rssMb: 200, anonMb: 150, fileMb: 50, shmemMb: 0, threads: 16 });
});

test('topFiles sums resident pages per file, largest first, without anonymous maps', () => {
  const smaps = [
    '7f00-7f10 r--p 00000000 08:01 12 /usr/share/fonts/a.ttc',
    'Size: 20000 kB',
    'Rss: 1024 kB',
    '7f10-7f20 r--p 00000000 08:01 12 /usr/share/fonts/a.ttc',
    'Size: 20000 kB',
    'Rss: 2048 kB',
    '7f20-7f30 rw-p 00000000 00:00 0 ',
    'Rss: 99999 kB',
    '7f30-7f40 r-xp 00000000 08:01 13 /usr/lib/libvips.so',
    'Rss: 1536 kB',
  ].join('\n');
  assert.equal(topFiles(smaps, 5), [
    { file: '/usr/share/fonts/a.ttc', mb: 3 },
    { file: '/usr/lib/libvips.so', mb: 1.5 },
  ]);
});

test('difference subtracts field by field (MB to 0.1, threads whole)', () => {
  const before = {
    rssMb: 180.2,
    anonMb: 130.1,
    fileMb: 50.1,
    shmemMb: 0,
    threads: 12,
    heapTotalMb: 64.8,
    heapUsedMb: 23.2,
    externalMb: 2.7,
    arrayBuffersMb: 0.1,
  };
  const after = {
    rssMb: 280.5,
    anonMb: 190.3,
    fileMb: 90.2,
    shmemMb: 0,
    threads: 17,
    heapTotalMb: 66.3,
    heapUsedMb: 24.4,
    externalMb: 24.5,
    arrayBuffersMb: 11.4,
  };
  assert.equal(difference(after, before), {
    rssMb: 100.3,
    anonMb: 60.2,
    fileMb: 40.1,
    shmemMb: 0,
    threads: 5,
    heapTotalMb: 1.5,
    heapUsedMb: 1.2,
    externalMb: 21.8,
    arrayBuffersMb: 11.3,
  });
});

test('snapshot reads this process: RSS is its anonymous and file-backed parts', () => {
  const s = snapshot();
  assert.ok(s.rssMb > 0 && s.threads >= 1);
  assert.ok(Math.abs(s.rssMb - (s.anonMb + s.fileMb + s.shmemMb)) <= 0.3, `${s.rssMb} vs ${s.anonMb} + ${s.fileMb} + ${s.shmemMb}`);
});

test.run();
