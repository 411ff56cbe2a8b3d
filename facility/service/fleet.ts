/**
 * What the facility knows about each reader right now: its last status (online/offline,
 * firmware, boot counter) and health (outbox depth, oldest undelivered age), when it was last
 * heard from, its last result, and delivery counters (stored, duplicates, arrivals older than
 * the newest stored: resends reorder). Status and health are also written to the readers table
 * (`kaoreader facility status` reads it without the service); this in-memory view feeds
 * `/metrics`. Bounded: at most `maxReaders` readers are tracked.
 */
import type { Health, Status } from '../../firmware/facility/messages/types.ts';

export interface ReaderView {
  status: Status | undefined;
  health: Health | undefined;
  lastSeen: number;
  lastResultAt: number | undefined;
  stored: number;
  duplicates: number;
  outOfOrder: number;
  refused: number;
  newestId: string;
}

export interface StatusEvent {
  readonly readerId: string;
  readonly state: string;
  readonly bootCounter: number;
  readonly at: number;
}

export class Fleet {
  readonly readers = new Map<string, ReaderView>();
  /** Recent status messages in arrival order (birth, will, clean offline), newest 10,000. */
  readonly statusLog: StatusEvent[] = [];
  constructor(private readonly maxReaders = 100_000) {}

  #view(readerId: string, at: number): ReaderView | undefined {
    let v = this.readers.get(readerId);
    if (!v) {
      if (this.readers.size >= this.maxReaders) return undefined;
      v = {
        status: undefined,
        health: undefined,
        lastSeen: at,
        lastResultAt: undefined,
        stored: 0,
        duplicates: 0,
        outOfOrder: 0,
        refused: 0,
        newestId: '',
      };
      this.readers.set(readerId, v);
    }
    v.lastSeen = Math.max(v.lastSeen, at);
    return v;
  }

  seen(readerId: string, at: number): void {
    this.#view(readerId, at);
  }

  status(s: Status, at: number): void {
    const v = this.#view(s.readerId, at);
    if (v) v.status = s;
    this.statusLog.push({ readerId: s.readerId, state: s.state, bootCounter: s.bootCounter, at });
    if (this.statusLog.length > 10_000) this.statusLog.shift();
  }

  health(h: Health, at: number): void {
    const v = this.#view(h.readerId, at);
    if (v) v.health = h;
  }

  result(readerId: string, id: string, outcome: 'stored' | 'duplicate' | 'refused' | 'retry', at: number): void {
    const v = this.#view(readerId, at);
    if (!v) return;
    if (outcome === 'duplicate') v.duplicates += 1;
    else if (outcome === 'refused') v.refused += 1;
    else if (outcome === 'stored') {
      v.stored += 1;
      v.lastResultAt = at;
      if (id < v.newestId) v.outOfOrder += 1;
      else v.newestId = id;
    }
  }
}
