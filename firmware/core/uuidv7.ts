/**
 * UUIDv7 (RFC 9562 §5.7): 48-bit Unix milliseconds, version 7, 12 bits of a per-millisecond
 * counter (so ids made in the same millisecond by this process still sort in creation order),
 * variant 10, 62 random bits. Our own implementation on node:crypto. The random bits come from
 * a pool filled by the CSPRNG 256 ids at a time (one randomFillSync call instead of one per id:
 * a busy facility or bench makes thousands a second); each pool byte is used once.
 */
import { randomFillSync } from 'node:crypto';

let lastMs = -1;
let counter = 0;
const POOL_IDS = 256;
const pool = Buffer.alloc(16 * POOL_IDS);
let poolNext = POOL_IDS;

/** 16 bytes from the CSPRNG, never handed out twice. */
function random16(): Buffer {
  if (poolNext >= POOL_IDS) {
    randomFillSync(pool);
    poolNext = 0;
  }
  const b = Buffer.from(pool.subarray(16 * poolNext, 16 * poolNext + 16));
  poolNext += 1;
  return b;
}

export const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** A new UUIDv7 string; `nowMs` defaults to the wall clock. */
export function uuidv7(nowMs: number = Date.now()): string {
  let ms = Math.floor(nowMs);
  if (ms <= lastMs) {
    ms = lastMs;
    counter += 1;
    if (counter > 0xfff) {
      // 4096 ids in one millisecond: borrow the next millisecond to stay monotonic.
      ms = lastMs + 1;
      counter = 0;
    }
  } else counter = 0;
  lastMs = ms;
  const b = random16();
  b.writeUIntBE(ms, 0, 6);
  b[6] = 0x70 | (counter >> 8);
  b[7] = counter & 0xff;
  b[8] = 0x80 | ((b[8] ?? 0) & 0x3f);
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** The millisecond timestamp inside a UUIDv7. */
export function uuidv7Time(id: string): number {
  return parseInt(id.replace(/-/g, '').slice(0, 12), 16);
}

/** Id for a `VisitResult` (the port's `id` field). */
export const newResultId = (): string => uuidv7();
