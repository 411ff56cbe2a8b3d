/**
 * A challenge's value: the issue time (Unix milliseconds, 6 bytes big-endian) then 26 bytes from
 * the CSPRNG, as 64 lowercase hex characters (the length the readers have always been sent).
 * The 208 random bits make it unguessable; it is used once because the store refuses a second
 * result on it, not because of its randomness. The time comes first so that values sort by
 * issue time: the challenges' primary key and the results' unique challenge index then take new
 * entries at their right-hand end (a few B-tree pages per commit) instead of one random page per
 * entry (measured in docs/benchmarks/facility.md, "WAL pages per result").
 */
import { randomBytes } from 'node:crypto';

const TIME_BYTES = 6;
const RANDOM_BYTES = 26;

export function newChallenge(nowMs: number): string {
  const time = Buffer.alloc(TIME_BYTES);
  time.writeUIntBE(Math.max(0, Math.min(Math.floor(nowMs), 2 ** 48 - 1)), 0, TIME_BYTES);
  return Buffer.concat([time, randomBytes(RANDOM_BYTES)]).toString('hex');
}
