/**
 * The reader's self-test: what the OTA health window checks before it commits a release, and
 * what `kaoreader self-test` prints. Each check exercises the part for real, within a deadline:
 *   camera     one frame arrives (and is wiped: it may be a face)
 *   face       the models are loaded and run once (an enrolment of a test photo, then wiped)
 *   display    the screen now shown is drawn again and written to the panel
 *   storage    a file is written, fsync'd and removed in the state folder (the outbox's)
 * The facility link's check is the link's own (reported only: an unreachable facility is not
 * the release's fault). They share the camera, the face models and the screen with the visit,
 * so the OTA agent runs them while no visit runs (UpdateLock). A check that throws or runs past its
 * deadline fails with the reason; it never throws out of `health()`.
 */
import { open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { CardRemovedError, ReaderGoneError } from '../apdu/errors.ts';
import { TimeoutError } from '../core/errors.ts';
import type { CardReader } from '../ports/card-reader.ts';
import type { Clock } from '../ports/clock.ts';
import type { FrameSource } from '../ports/frame-source.ts';
import type { HealthCheck, Service } from '../ports/service.ts';

export interface SelfTestParts {
  readonly reader?: CardReader;
  readonly camera?: FrameSource;
  /** Runs the face models once (e.g. enrol a test photo, then wipe). */
  readonly face?: (signal: AbortSignal) => Promise<string>;
  /** Draws the current screen again; false when no screen is shown yet. */
  readonly redraw?: () => Promise<boolean>;
  /** A folder the daemon must be able to write (the outbox's). */
  readonly stateDir?: string;
}

export interface SelfTestOptions {
  readonly clock: Clock;
  /** Per check; default 20 s (model loading on a cold Pi). */
  readonly deadlineMs?: number;
}

function withDeadline<T>(what: string, work: (signal: AbortSignal) => Promise<T>, clock: Clock, ms: number): Promise<T> {
  const ac = new AbortController();
  return new Promise<T>((resolve, reject) => {
    const timer = clock.setTimeout(() => {
      ac.abort();
      reject(new TimeoutError(what, ms));
    }, ms);
    work(ac.signal).then(
      (v) => {
        timer.cancel();
        resolve(v);
      },
      (err: unknown) => {
        timer.cancel();
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}

type Outcome = { readonly ok: boolean; readonly detail: string };
const passed = (detail: string): Outcome => ({ ok: true, detail });

const READER_RETRY_MS = 250;

async function readerAnswers(reader: CardReader, clock: Clock, signal: AbortSignal): Promise<Outcome> {
  for (let i = 0; i < 10_000 && !signal.aborted; i++) {
    try {
      const session = await reader.connect();
      const atr = Buffer.from(session.atr).toString('hex');
      await session.disconnect('reset');
      return passed(`${reader.name}: card present (ATR ${atr})`);
    } catch (err) {
      if (err instanceof CardRemovedError) return passed(`${reader.name}: no card`);
      if (!(err instanceof ReaderGoneError)) throw err;
    }
    await clock.sleep(READER_RETRY_MS, signal).catch(() => undefined);
  }
  return { ok: false, detail: `${reader.name}: no reader` };
}

async function oneFrame(camera: FrameSource, signal: AbortSignal): Promise<Outcome> {
  for await (const f of camera.frames(signal)) {
    const detail = `${f.width}×${f.height} ${f.format} frame #${f.sequence}`;
    f.data.fill(0);
    return passed(detail);
  }
  return { ok: false, detail: 'the camera stream ended without a frame' };
}

async function redraw(draw: () => Promise<boolean>): Promise<Outcome> {
  return (await draw())
    ? passed('the screen shown was drawn and written again')
    : { ok: false, detail: 'no screen shown yet: nothing to write' };
}

async function writeProbe(dir: string): Promise<Outcome> {
  const path = join(dir, `.self-test-${process.pid}`);
  const fd = await open(path, 'w', 0o600);
  try {
    await fd.writeFile('kaoreader self-test\n');
    await fd.sync();
  } finally {
    await fd.close();
  }
  await rm(path);
  return passed(`${dir} writable (write + fsync)`);
}

/** Runs every configured check; a check's failure is a failed HealthCheck, never a throw. */
export async function runSelfTest(parts: SelfTestParts, o: SelfTestOptions): Promise<HealthCheck[]> {
  const ms = o.deadlineMs ?? 20_000;
  const { reader, camera, face, redraw: draw, stateDir } = parts;
  const checks: [string, ((signal: AbortSignal) => Promise<Outcome>) | undefined][] = [
    ['card-slot', reader ? (s) => readerAnswers(reader, o.clock, s) : undefined],
    ['camera', camera ? (s) => oneFrame(camera, s) : undefined],
    ['face-models', face ? async (s) => passed(await face(s)) : undefined],
    ['display', draw ? () => redraw(draw) : undefined],
    ['storage', stateDir !== undefined ? () => writeProbe(stateDir) : undefined],
  ];
  const out: HealthCheck[] = [];
  for (const [name, run] of checks) {
    if (!run) continue;
    try {
      out.push({ name, ...(await withDeadline(name, run, o.clock, ms)) });
    } catch (err) {
      out.push({ name, ok: false, detail: err instanceof Error ? err.message : String(err) });
    }
  }
  return out;
}

/** The self-test as a daemon service (no start/stop work; `health()` runs the checks). */
export function selfTestService(parts: SelfTestParts, o: SelfTestOptions): Service {
  return {
    name: 'self-test',
    start: () => Promise.resolve(),
    stop: () => Promise.resolve(),
    health: () => runSelfTest(parts, o),
  };
}
