/**
 * Where an ack's time goes, per result (the bench worker joins each result's figures by its id):
 * the reader's append (outbox write, durable), its flight (publish → ack: broker both ways, the
 * service's queue, verification and commit, the reader's event loop) and the rest (append done →
 * publish, and clock rounding: the latency is counted in whole ms from the record's creation).
 * Reported for all results and for the tail (latency at or above the 95th percentile), and the
 * 95th percentile per second of the run (a warm-up shows as a first second worse than the rest).
 */

/** One delivered result: [ack latency, append, flight, ms from the run's first submit to its own]. */
export type ResultTiming = readonly [number, number, number, number];

export interface Split {
  readonly results: number;
  readonly latencyMs: number;
  readonly appendMs: number;
  readonly flightMs: number;
  readonly restMs: number;
}

const mean = (xs: readonly number[]): number => (xs.length === 0 ? 0 : Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 100) / 100);

function split(rs: readonly ResultTiming[]): Split {
  const ok = rs.filter(([l, a, f]) => Number.isFinite(l) && Number.isFinite(a) && Number.isFinite(f));
  return {
    results: ok.length,
    latencyMs: mean(ok.map(([l]) => l)),
    appendMs: mean(ok.map(([, a]) => a)),
    flightMs: mean(ok.map(([, , f]) => f)),
    restMs: mean(ok.map(([l, a, f]) => l - a - f)),
  };
}

const p95 = (xs: number[]): number => {
  const v = xs.sort((a, b) => a - b);
  return v[Math.min(v.length - 1, Math.floor(0.95 * v.length))] ?? 0;
};

export function ackBreakdown(rs: readonly ResultTiming[]): { all: Split; tail: Split; p95BySecond: number[] } {
  const cut = p95(rs.map(([l]) => l));
  const seconds: number[][] = [];
  for (const [l, , , at] of rs) (seconds[Math.floor(at / 1000)] ??= []).push(l);
  return {
    all: split(rs),
    tail: split(rs.filter(([l]) => l >= cut)),
    p95BySecond: Array.from(seconds, (s) => (s ? p95(s) : 0)),
  };
}
