import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MemorySink, createLogger } from '../../../../firmware/core/logger.ts';
import type { FaceHint } from '../../../../firmware/ports/screens.ts';
import { FaceHints, type HintPanel } from '../../../../firmware/visit/steps/face-hints.ts';
import { ManualClock } from '../../../../hardware-sim/manual-clock.ts';

/**
 * A panel whose drawings finish when the test says: each request waits in `pending` until
 * `finish(i, onPanel)` (true: on the panel now; false: skipped for a newer screen), as the
 * visit's screen adapter answers.
 */
function panel(): HintPanel & {
  readonly requests: { readonly what: string; readonly finish: (onPanel: boolean | Error) => void }[];
  readonly clock: ManualClock;
  readonly sink: MemorySink;
} {
  const clock = new ManualClock();
  const sink = new MemorySink(100);
  const requests: { what: string; finish: (onPanel: boolean | Error) => void }[] = [];
  const request = (what: string): Promise<boolean> =>
    new Promise((resolve, reject) => requests.push({ what, finish: (r) => (r instanceof Error ? reject(r) : resolve(r)) }));
  return {
    requests,
    clock,
    sink,
    log: createLogger({ sink, level: 'info' }),
    draw: (hint: FaceHint) => request(`hint ${hint}`),
    open: (params: { hint?: FaceHint }) => request(`face ${params.hint ?? '-'}`),
  };
}

const settled = async <T>(p: Promise<T>): Promise<T | 'pending'> =>
  Promise.race([p, new Promise<'pending'>((r) => setImmediate(() => r('pending')))]);

test("a cue whose own drawing was skipped for the attempt's face screen is on the panel when that screen is (its window opens then)", async () => {
  const p = panel();
  const hints = new FaceHints(p);
  p.clock.advance(1_000);
  const cue = hints.show('blinkOnce');
  const opened = hints.open(); // the attempt joins: the face screen with the cue, asked for before the cue was drawn
  assert.equal(
    p.requests.map((r) => r.what),
    ['hint blinkOnce', 'face blinkOnce'],
  );
  p.requests[0]!.finish(false); // skipped: a newer screen was waiting
  assert.is(await settled(cue), 'pending', 'not known yet: the face screen with the cue is still to come');
  p.clock.advance(40);
  p.requests[1]!.finish(true);
  await opened;
  assert.is(await cue, 1_040, 'on the panel with the face screen');
});

test('a cue drawn by itself is on the panel then; a later face screen does not move its time', async () => {
  const p = panel();
  const hints = new FaceHints(p);
  const cue = hints.show('turnLeft');
  p.clock.advance(25);
  p.requests[0]!.finish(true);
  assert.is(await cue, 25);
  const opened = hints.open();
  p.clock.advance(25);
  p.requests[1]!.finish(true);
  await opened;
  assert.is(await cue, 25);
  assert.equal(hints.params, { hint: 'turnLeft' }, 'the attempt keeps the cue on its face screen');
});

test('a hint skipped and then replaced by another was never on the panel; only hints asked for before a drawing are settled by it', async () => {
  const p = panel();
  const hints = new FaceHints(p);
  const first = hints.show('blinkTwice');
  const second = hints.show('hold');
  p.requests[0]!.finish(false);
  const third = hints.show('blinkTwice'); // asked again while "hold" is being drawn
  p.clock.advance(10);
  p.requests[1]!.finish(true);
  assert.is(await first, undefined, 'skipped, and "hold" came on the panel instead');
  assert.is(await second, 10);
  assert.is(await settled(third), 'pending', 'asked for after the drawing of "hold": not settled by it');
  p.clock.advance(10);
  p.requests[2]!.finish(true);
  assert.is(await third, 20);
});

test('a failed drawing is reported and never drawn; a new attempt gives up the hints still waiting; the waiting list is bounded', async () => {
  const p = panel();
  const hints = new FaceHints(p);
  const failed = hints.show('closer');
  p.requests[0]!.finish(new Error('panel gone'));
  assert.is(await failed, undefined);
  assert.ok(p.sink.lines.some((l) => l.includes('guidance screen failed')));
  const waiting = hints.show('blinkOnce');
  p.requests[1]!.finish(false);
  hints.reset();
  assert.is(await waiting, undefined);
  assert.equal(hints.params, {}, 'the new attempt starts with no hint');
  const many = Array.from({ length: 9 }, () => hints.show('hold'));
  assert.is(await many[0], undefined, 'the oldest of nine waiting is given up');
  assert.is(await settled(many[1]!), 'pending');
});

test.run();
