/**
 * The reader's status messages: retained birth ("online" with firmware version, boot counter,
 * hardware summary, facility name), the "offline" last will / clean goodbye (same boot counter,
 * so the facility tells a crash from a reboot), and the health numbers (outbox depth, oldest
 * undelivered age, in flight, outbox status).
 */
import type { Outbox } from '../outbox/outbox.ts';
import type { HardwareSummary, Health, Status } from '../messages/types.ts';

export interface StatusSource {
  readonly readerId: string;
  readonly firmwareVersion: string;
  readonly bootCounter: number;
  readonly hardware: HardwareSummary;
  readonly facilityName?: () => string | undefined;
}

const iso = (ms: number): string => new Date(ms).toISOString();

export function birthMessage(s: StatusSource, nowMs: number): Status {
  const name = s.facilityName?.();
  return {
    schema: 'kaoreader.status/1',
    readerId: s.readerId,
    state: 'online',
    firmwareVersion: s.firmwareVersion,
    bootCounter: s.bootCounter,
    hardware: s.hardware,
    at: iso(nowMs),
    ...(name ? { facilityName: name } : {}),
  };
}

export function offlineMessage(s: StatusSource, nowMs: number): Status {
  return { schema: 'kaoreader.status/1', readerId: s.readerId, state: 'offline', bootCounter: s.bootCounter, at: iso(nowMs) };
}

/**
 * `deadLetters` is sent only when there are some: a facility older than the field refuses a health
 * message it does not know (its schema has no extra properties), so a reader with none stays readable.
 */
export function healthMessage(readerId: string, outbox: Outbox, inFlight: number, nowMs: number): Health {
  const oldest = outbox.oldestCreatedMs;
  const deadLetters = outbox.deadLetters;
  return {
    schema: 'kaoreader.health/1',
    readerId,
    outboxDepth: outbox.depth,
    oldestUndeliveredAgeMs: oldest === undefined ? 0 : Math.max(0, Math.round(nowMs - oldest)),
    inFlight,
    outboxStatus: outbox.status,
    ...(deadLetters > 0 ? { deadLetters } : {}),
    at: iso(nowMs),
  };
}
