/** Shared parts for facility service tests (not a test file itself): cards, clocks, a rig on real mosquitto. */
import { sign, type KeyObject } from 'node:crypto';
import { join } from 'node:path';
import type { Logger } from '../../firmware/core/logger.ts';
import type { Clock } from '../../firmware/ports/clock.ts';
import { systemClock } from '../../firmware/platform/system-clock.ts';
import type { VisitResult } from '../../firmware/ports/facility-link.ts';
import { newResultId } from '../../firmware/core/uuidv7.ts';
import { loadBenchCards, type BenchCard } from '../../hardware-sim/card/bench-cards.ts';
import { makeCertificate, newRsaKey } from '../../hardware-sim/card/keys.ts';
import { CA_NAME, loadTestPki, type TestPki } from '../../hardware-sim/card/test-pki.ts';

/** The system clock, `offsetMs` ahead (a facility whose time moved on: expiring challenges). */
export class ShiftedClock implements Clock {
  offsetMs = 0;
  now(): number {
    return Date.now() + this.offsetMs;
  }
  monotonic(): number {
    return systemClock.monotonic();
  }
  setTimeout(fn: () => void, ms: number): ReturnType<Clock['setTimeout']> {
    return systemClock.setTimeout(fn, ms);
  }
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return systemClock.sleep(ms, signal);
  }
}

export interface Cards {
  readonly pki: TestPki;
  /** Genuine cards of the test PKI. */
  readonly good: readonly BenchCard[];
  /** A card whose certificate comes from a CA the facility does not trust. */
  readonly unknownCa: BenchCard;
  /** A card of the trusted CA whose certificate expired yesterday. */
  readonly expired: BenchCard;
  /** Same key and serial as good[0], but signed by an unknown CA / expired: a result carrying it after a genuine qualify. */
  readonly twinUnknownCa: BenchCard;
  readonly twinExpired: BenchCard;
}

export async function testCards(): Promise<Cards> {
  const pki = await loadTestPki();
  const good = await loadBenchCards(pki, 4);
  const g0 = good[0] as BenchCard;
  const rogue = await newRsaKey();
  const rogueName = 'C=JP, O=not JPKI, CN=Rogue User Authentication CA';
  const day = 86_400_000;
  const now = Date.now();
  const cert = async (
    serial: string,
    key: KeyObject,
    issuer: { name: string; key: KeyObject },
    notBefore: number,
    notAfter: number,
  ): Promise<Uint8Array> =>
    makeCertificate(
      { subject: `C=JP, CN=${serial}`, serial, ca: false, notBefore: new Date(notBefore), notAfter: new Date(notAfter) },
      key,
      issuer,
    );
  const k1 = await newRsaKey();
  const k2 = await newRsaKey();
  return {
    pki,
    good,
    unknownCa: {
      serial: 'c0ffee01',
      key: k1,
      certificate: await cert('c0ffee01', k1, { name: rogueName, key: rogue }, now - day, now + 365 * day),
    },
    expired: {
      serial: 'c0ffee02',
      key: k2,
      certificate: await cert('c0ffee02', k2, { name: CA_NAME, key: pki.authCa.key }, now - 400 * day, now - day),
    },
    twinUnknownCa: {
      serial: g0.serial,
      key: g0.key,
      certificate: await cert(g0.serial, g0.key, { name: rogueName, key: rogue }, now - day, now + 365 * day),
    },
    twinExpired: {
      serial: g0.serial,
      key: g0.key,
      certificate: await cert(g0.serial, g0.key, { name: CA_NAME, key: pki.authCa.key }, now - 400 * day, now - day),
    },
  };
}

export const signChallenge = (card: BenchCard, challenge: string): Buffer => sign('sha256', Buffer.from(challenge, 'hex'), card.key);

/** An accepted result with the given proof parts (not necessarily consistent: the tests forge them). */
export function provenResult(o: {
  readerId: string;
  visitId: string;
  card: BenchCard;
  challenge: string;
  signature: Buffer;
  certificate?: Uint8Array;
}): VisitResult {
  const now = new Date().toISOString();
  return {
    schema: 'kaoreader.result/1',
    id: newResultId(),
    readerId: o.readerId,
    visitId: o.visitId,
    startedAt: now,
    finishedAt: now,
    method: 'pin',
    outcome: 'accepted',
    segment: 1,
    certificateSerial: o.card.serial,
    certificate: Buffer.from(o.certificate ?? o.card.certificate).toString('base64'),
    challenge: o.challenge,
    signature: o.signature.toString('base64'),
    processingMs: 1000,
    consent: { mode: 'all', items: { surgery: true, treatment: false }, at: now },
    prescription: 'paper',
  };
}

export const silent: Logger = {
  namespace: '',
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => silent,
};

export const dirIn = (base: string, name: string): string => join(base, name);
