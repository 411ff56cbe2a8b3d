import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Histogram, Registry } from 'prom-client';
import { bucketQuantile, type Scraped } from '../../../cli/bench/histogram-quantile.ts';

// prom-client's own exposition text, read the way the bench reads /metrics.
async function scrape(registry: Registry): Promise<Scraped> {
  const text = await registry.metrics();
  return (name, labels) =>
    text
      .split('\n')
      .filter((l) => (l.startsWith(`${name} `) || l.startsWith(`${name}{`)) && [labels ?? []].flat().every((x) => l.includes(x)))
      .reduce((n, l) => n + (Number(l.split(' ').pop()) || 0), 0);
}

const BOUNDS = [0.01, 0.025, 0.05, 0.1, 0.25];

test('the bound of the bucket holding the quantile, counting only what was observed between the scrapes', async () => {
  const registry = new Registry();
  const h = new Histogram({ name: 'x_seconds', help: 'x', buckets: BOUNDS, registers: [registry] });
  for (let i = 0; i < 1000; i++) h.observe(0.005); // before the first scrape: would pull the quantiles down if counted
  const before = await scrape(registry);
  for (let i = 0; i < 90; i++) h.observe(0.005);
  for (let i = 0; i < 6; i++) h.observe(0.04);
  for (let i = 0; i < 4; i++) h.observe(0.09);
  const after = await scrape(registry);
  assert.is(bucketQuantile(before, after, 'x_seconds', BOUNDS, 0.5), 0.01);
  assert.is(bucketQuantile(before, after, 'x_seconds', BOUNDS, 0.95), 0.05);
  assert.is(bucketQuantile(before, after, 'x_seconds', BOUNDS, 0.99), 0.1);
});

test('past the last finite bucket: Infinity; nothing observed: 0', async () => {
  const registry = new Registry();
  const h = new Histogram({ name: 'y_seconds', help: 'y', buckets: BOUNDS, registers: [registry] });
  const before = await scrape(registry);
  assert.is(bucketQuantile(before, before, 'y_seconds', BOUNDS, 0.95), 0);
  for (let i = 0; i < 10; i++) h.observe(3);
  assert.is(bucketQuantile(before, await scrape(registry), 'y_seconds', BOUNDS, 0.95), Infinity);
});

test('a labelled histogram: only the named series counts', async () => {
  const registry = new Registry();
  const h = new Histogram({ name: 'z_seconds', help: 'z', labelNames: ['stage'], buckets: BOUNDS, registers: [registry] });
  const before = await scrape(registry);
  for (let i = 0; i < 100; i++) h.observe({ stage: 'fast' }, 0.005);
  for (let i = 0; i < 10; i++) h.observe({ stage: 'slow' }, 0.2);
  const after = await scrape(registry);
  assert.is(bucketQuantile(before, after, 'z_seconds', BOUNDS, 0.95, 'stage="slow"'), 0.25);
  assert.is(bucketQuantile(before, after, 'z_seconds', BOUNDS, 0.95, 'stage="fast"'), 0.01);
});

test.run();
