/**
 * The simulated patient answering the screen's liveness challenge (fake timers): a blink
 * 300–600 ms after "please blink" appears, kept through a flicker of the screen, repeated when
 * the screen still asks a second later, never when nothing asks, and forgotten when the screen
 * moves on; twice or three times when asked so (not asked again while that answer lasts); a head turn to the side asked (the patient's own left: the face
 * turns towards image right, a positive yaw).
 */
import assert from 'node:assert/strict';
import sinon from 'sinon';
import { test } from 'uvu';
import type { Clock } from '../../../firmware/ports/clock.ts';
import { systemClock } from '../../../firmware/platform/system-clock.ts';
import { PromptReaction, type Prompt } from '../../../hardware-sim/patients/prompt-reaction.ts';

interface Move {
  readonly what: 'blink' | 'turn';
  readonly at: number;
  readonly arg: number | undefined;
}

function rig(): { moves: Move[]; show: (p: Prompt | undefined) => void; reaction: PromptReaction } {
  const moves: Move[] = [];
  let shown: Prompt | undefined;
  const reaction = new PromptReaction({
    clock: systemClock,
    seed: 3,
    look: () => shown,
    body: {
      blink: (d, inSec = 0) => moves.push({ what: 'blink', at: performance.now() + inSec * 1000, arg: d }),
      turnHead: (deg) => moves.push({ what: 'turn', at: performance.now(), arg: deg }),
    },
  });
  return {
    moves,
    show: (p) => {
      shown = p;
    },
    reaction,
  };
}

function faked(name: string, fn: (fake: sinon.SinonFakeTimers) => Promise<void>): void {
  test(name, async () => {
    const fake = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    try {
      await fn(fake);
    } finally {
      fake.restore();
    }
  });
}

faked('asked to blink: one deliberate blink after a human reaction time, none before', async (fake) => {
  const { moves, show, reaction } = rig();
  reaction.start();
  await fake.tickAsync(500);
  assert.equal(moves.length, 0, 'nothing asked, nothing done');
  show('blink-once');
  const askedAt = performance.now();
  await fake.tickAsync(900);
  assert.equal(moves.length, 1);
  const [m] = moves as [Move];
  assert.equal(m.what, 'blink');
  assert.ok(m.at - askedAt >= 300 && m.at - askedAt <= 650, `reacted after ${m.at - askedAt} ms`);
  assert.ok(m.arg !== undefined && m.arg >= 0.25 && m.arg <= 0.4, 'a deliberate blink lasts 0.25–0.4 s');
  reaction.stop();
});

faked('a flicker does not stop the answer; still asked a second later: blinks again; screen gone: stops', async (fake) => {
  const { moves, show, reaction } = rig();
  reaction.start();
  show('blink-once');
  await fake.tickAsync(120);
  show(undefined); // the face screen redrawn without the hint for a moment
  await fake.tickAsync(100);
  show('blink-once');
  await fake.tickAsync(700);
  assert.equal(moves.length, 1, 'one answer through the flicker');
  await fake.tickAsync(1_500);
  assert.equal(moves.length, 2, 'asked again a second later: blinks again');
  show(undefined); // the visit moved on (consent screen)
  await fake.tickAsync(3_000);
  assert.equal(moves.length, 2, 'nothing asked: no more blinks');
  reaction.stop();
});

faked('asked to turn the head to their left, then right: turns of about 30° each way; stop() ends everything', async (fake) => {
  const { moves, show, reaction } = rig();
  reaction.start();
  show('turn-left');
  await fake.tickAsync(800);
  assert.equal(moves.length, 1);
  assert.equal(moves[0]?.what, 'turn');
  assert.equal(moves[0]?.arg, 30, 'their left: the face turns towards image right');
  show('turn-right');
  await fake.tickAsync(800);
  assert.equal(moves[1]?.arg, -30);
  reaction.stop();
  await fake.tickAsync(5_000);
  assert.equal(moves.length, 2);
});

faked(
  'asked to turn: not asked again while the turn lasts (a slow screen still shows it), only a second after the head is back',
  async (fake) => {
    const { moves, show, reaction } = rig();
    reaction.start();
    show('turn-right');
    await fake.tickAsync(2_200); // reaction ≤ 600 ms + the 1.2 s turn: the screen has not caught up yet
    assert.equal(moves.length, 1, 'one turn: the screen is judged once the head is back');
    await fake.tickAsync(1_600);
    assert.equal(moves.length, 2, 'still asked a second after the turn ended: turns again');
    reaction.stop();
  },
);

faked('asked to blink twice: two deliberate blinks about half a second apart', async (fake) => {
  const { moves, show, reaction } = rig();
  reaction.start();
  show('blink-twice');
  await fake.tickAsync(1_300);
  assert.equal(moves.map((m) => m.what).join(','), 'blink,blink');
  const gap = moves[1]!.at - moves[0]!.at;
  assert.ok(gap >= 400 && gap <= 700, `second blink ${gap} ms after the first`);
  reaction.stop();
});

faked('asked to blink three times: three blinks, and not asked again while the screen still shows it during them', async (fake) => {
  const { moves, show, reaction } = rig();
  reaction.start();
  show('blink-thrice');
  await fake.tickAsync(2_000);
  assert.equal(moves.map((m) => m.what).join(','), 'blink,blink,blink', 'the screen still asks 1 s after the first blink: no fourth');
  show(undefined);
  await fake.tickAsync(3_000);
  assert.equal(moves.length, 3);
  reaction.stop();
});

faked('on a loaded machine (every timer half a second late) the three blinks keep their rhythm: 550 ms apart', async (fake) => {
  const moves: Move[] = [];
  let shown: Prompt | undefined;
  const late: Clock = { ...systemClock, setTimeout: (fn, ms) => systemClock.setTimeout(fn, ms + 500) };
  const reaction = new PromptReaction({
    clock: late,
    seed: 3,
    look: () => shown,
    body: {
      blink: (d, inSec = 0) => moves.push({ what: 'blink', at: performance.now() + inSec * 1000, arg: d }),
      turnHead: (deg) => moves.push({ what: 'turn', at: performance.now(), arg: deg }),
    },
  });
  reaction.start();
  shown = 'blink-thrice';
  await fake.tickAsync(4_000);
  reaction.stop();
  assert.equal(moves.map((m) => m.what).join(','), 'blink,blink,blink');
  const gaps = moves.slice(1).map((m, i) => m.at - moves[i]!.at);
  assert.deepEqual(gaps, [550, 550], `blinks ${gaps.join(', ')} ms apart`);
});

faked("someone new at the camera reacts to the request at once: the previous person's answer is not theirs", async (fake) => {
  const { moves, show, reaction } = rig();
  reaction.start();
  show('blink-once');
  await fake.tickAsync(700);
  assert.equal(moves.length, 1, 'the first person blinked');
  show(undefined);
  reaction.forget(); // they leave, the next patient steps up; the screen asks again soon after
  await fake.tickAsync(100);
  show('blink-once');
  const askedAt = performance.now();
  await fake.tickAsync(700);
  assert.equal(moves.length, 2, 'the new person answers without waiting out the previous answer');
  assert.ok(moves[1]!.at - askedAt <= 650, `answered after ${moves[1]!.at - askedAt} ms`);
  reaction.stop();
});

test.run();
