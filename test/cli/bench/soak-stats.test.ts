/** The visit soak's arithmetic and samples: slope, per-100 trend, tenths, a sample of this process. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { allocator, per100, sample, slope, tenths, type Sample } from '../../../cli/bench/soak-stats.ts';

const run = (rss: (visit: number) => number, n: number): Sample[] =>
  Array.from({ length: n }, (_, i) => ({
    visit: i + 1,
    rssMb: rss(i + 1),
    heapMb: 30,
    externalMb: 20,
    arrayBuffersMb: 10,
    fds: 45,
    threads: 24,
    brokerRssMb: 8,
  }));

test('slope of a straight line is its gradient; of a constant, zero; of one point, zero', () => {
  assert.is(slope([1, 2, 3, 4], [3, 5, 7, 9]), 2);
  assert.is(slope([1, 2, 3], [4, 4, 4]), 0);
  assert.is(slope([1], [5]), 0);
});

test('per100: growth per 100 visits; a plateau after warm-up is flat in the second half', () => {
  assert.is(
    per100(
      run((v) => 400 + 0.33 * v, 200),
      (s) => s.rssMb,
    ),
    33,
  );
  const plateau = run((v) => (v < 300 ? 400 + v / 3 : 500) + (v % 7) - 3, 1000);
  assert.ok(Math.abs(per100(plateau.slice(500), (s) => s.rssMb)) < 0.5);
  assert.ok(per100(plateau, (s) => s.rssMb) > 3, 'the whole run still shows the warm-up');
});

test('tenths: mean per tenth of the run; fewer parts for short runs', () => {
  assert.equal(
    tenths(
      run((v) => v, 100),
      (s) => s.rssMb,
    ),
    [6, 16, 26, 36, 46, 56, 66, 76, 86, 96],
  );
  assert.equal(
    tenths(
      run((v) => v, 3),
      (s) => s.rssMb,
    ),
    [1, 2, 3],
  );
  assert.equal(
    tenths([], (s) => s.rssMb),
    [],
  );
});

test('a sample of this process: plausible RSS, open fds and threads; a missing broker gives undefined', () => {
  const s = sample(7, 2 ** 22 + 12345);
  assert.is(s.visit, 7);
  assert.ok(s.rssMb > 10 && s.rssMb >= s.heapMb);
  assert.ok(s.fds >= 3);
  assert.ok(s.threads >= 1);
  assert.is(s.brokerRssMb, undefined);
  assert.is(sample(1, process.pid).brokerRssMb !== undefined, true);
});

test('allocator names jemalloc (and its options) when preloaded, else glibc with its arena setting', () => {
  const a = allocator();
  const preloaded = (process.env.LD_PRELOAD ?? '').includes('jemalloc');
  assert.ok(preloaded ? a.startsWith('jemalloc') : a.startsWith('glibc ('), a);
  if (preloaded && process.env.MALLOC_CONF) assert.ok(a.includes(process.env.MALLOC_CONF), 'the jemalloc options are named');
});

test.run();
