/**
 * A quantile of a Prometheus histogram over an interval, from two scrapes (the `_bucket` series'
 * cumulative counts by `le`): the upper bound of the first bucket holding that share of the
 * observations made between them. A bound, not a value: the true quantile is at most this (and
 * above the bucket before); `Infinity` when it lies past the last finite bucket.
 */
export type Scraped = (name: string, labels?: string | readonly string[]) => number;

/** `labels`: the series of a labelled histogram (e.g. `stage="prepare"`), all when absent. */
export function bucketQuantile(
  before: Scraped,
  after: Scraped,
  name: string,
  bounds: readonly number[],
  q: number,
  labels?: string,
): number {
  const only = labels === undefined ? [] : [labels];
  const delta = (le: string): number => after(`${name}_bucket`, [le, ...only]) - before(`${name}_bucket`, [le, ...only]);
  const total = after(`${name}_count`, only) - before(`${name}_count`, only);
  if (total <= 0) return 0;
  for (const le of bounds) if (delta(`le="${le}"`) >= q * total) return le;
  return Infinity;
}
