/**
 * The liveness challenge's draw and its judge, on made-up action events: what is asked is random
 * (a CSPRNG in the product, a seeded source here), uniformly among the sequences with a turn and a
 * blink; answers are exact — the asked action, begun in its window, the blinks counted exactly
 * (none more in the closing window); any other deliberate action refuses the attempt. The bound on
 * a recording's chance is checked against a count made here by brute force.
 */
import assert from 'node:assert/strict';
import { test } from 'uvu';
import type { ActionEvent } from '../../../firmware/face/liveness/actions.ts';
import {
  CHALLENGE_CUES,
  ChallengeJudge,
  blinksAsked,
  DEFAULT_CHALLENGE_POLICY,
  drawChallenge,
  replayChanceBound,
  sequenceCount,
  type ChallengePolicy,
  type ChallengeStep,
} from '../../../firmware/face/liveness/challenge.ts';
import { seededRandom } from '../../../hardware-sim/camera/image.ts';

const seeded = (seed: number) => {
  const r = seededRandom(seed);
  return (max: number): number => Math.floor(r() * max);
};
/** A policy with a fixed 200 ms wait before every cue (window 250–1150 ms, 600 ms between blinks). */
const P: ChallengePolicy = { ...DEFAULT_CHALLENGE_POLICY, delayMs: [[200, 200]] };
const judge = (...cues: ChallengeStep['cue'][]): ChallengeJudge =>
  new ChallengeJudge({ policy: { ...P, steps: cues.length }, random: seeded(1), steps: cues.map((cue) => ({ cue, delayMs: 200 })) });
/** An action first seen at `onset`, the frame before it (still) at `after`, done at `at`. */
const ev = (kind: ActionEvent['kind'], onset: number, at = onset + 300, after = onset - 50): ActionEvent => ({ kind, onset, after, at });

/** A usable, still face every 50 ms from `from` to `until` ms. */
function ticked(j: ChallengeJudge, from: number, until: number, usable = true, busy = false): void {
  for (let t = from; t <= until; t += 50) j.tick(t, usable, busy);
}

test('draws: uniform among the sequences with a turn and a blink; all five cues; waits in their ranges', () => {
  // Brute force, apart from the code: every sequence of 5 cues out of 5 with a turn and a blink.
  const brute = validSequences(5).length;
  assert.equal(sequenceCount(DEFAULT_CHALLENGE_POLICY), brute);
  assert.equal(brute, 2850);
  const counts = new Map<string, number>();
  const cues = new Set<string>();
  const random = seeded(7);
  const n = 57_000;
  for (let d = 0; d < n; d++) {
    const c = drawChallenge(DEFAULT_CHALLENGE_POLICY, random);
    assert.equal(c.steps.length, 5);
    assert.ok(c.steps.some((s) => s.cue.startsWith('turn')) && c.steps.some((s) => s.cue.startsWith('blink')), JSON.stringify(c.steps));
    c.steps.forEach((s, i) => {
      const [lo, hi] = DEFAULT_CHALLENGE_POLICY.delayMs[Math.min(i, DEFAULT_CHALLENGE_POLICY.delayMs.length - 1)]!;
      assert.ok(s.delayMs >= lo && s.delayMs <= hi, `${s.delayMs} outside ${lo}–${hi}`);
      cues.add(s.cue);
    });
    const key = c.steps.map((s) => s.cue).join(',');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  assert.deepEqual([...cues].sort(), [...CHALLENGE_CUES].sort());
  assert.equal(counts.size, 2850, 'every sequence comes');
  // 20 expected each: none as many as 45 (p ≈ 1e-6 each under uniformity).
  assert.ok(Math.max(...counts.values()) < 45, `likeliest sequence ${Math.max(...counts.values())} of ${n}`);
});

test('the bound: 1 / sequences without re-cues; each late answer allowed adds, per step, the likeliest fresh cue there (brute force)', () => {
  const narrow: ChallengePolicy = { ...DEFAULT_CHALLENGE_POLICY, steps: 4, maxRecues: 0 };
  assert.equal(replayChanceBound(narrow), 1 / 528);
  assert.equal(replayChanceBound({ ...narrow, steps: 2 }), 1 / 12);
  assert.equal(replayChanceBound({ ...narrow, steps: 3 }), 1 / 90);
  for (const steps of [2, 4, 5]) {
    const q = likeliestByBruteForce(steps);
    const all = validSequences(steps).length;
    const one = (1 + q.reduce((a, b) => a + b, 0)) / all;
    let pairs = 0;
    for (let i = 0; i < q.length; i++) for (let k = i; k < q.length; k++) pairs += q[i]! * q[k]!;
    assert.ok(Math.abs(replayChanceBound({ ...narrow, steps, maxRecues: 1 }) - one) < 1e-12, `${steps} steps, one late answer`);
    assert.ok(Math.abs(replayChanceBound({ ...narrow, steps, maxRecues: 2 }) - (one + pairs / all)) < 1e-12, `${steps} steps, two`);
  }
  // Five steps, one late answer: the last step after four blinks must be a turn (½ each).
  assert.equal(likeliestByBruteForce(5).at(-1), 0.5);
  assert.ok(replayChanceBound(DEFAULT_CHALLENGE_POLICY) <= 0.001, String(replayChanceBound(DEFAULT_CHALLENGE_POLICY)));
});

test('the asked actions in their windows pass; blinks are counted only after the closing window', () => {
  const j = judge('turn-left', 'blink-twice');
  j.tick(0, false);
  j.tick(500, false);
  assert.equal(j.status().state, 'waiting', 'no usable face: nothing asked');
  ticked(j, 1000, 1150);
  assert.equal(j.status().state, 'waiting', '150 ms of usable face waited of 200');
  ticked(j, 1200, 1200);
  assert.equal(j.status().cue, 'turn-left');
  j.event(ev('turn-left', 1700));
  assert.equal(j.status().state, 'waiting', 'step 1 done, the next cue after its wait');
  ticked(j, 2000, 2200);
  assert.equal(j.status().cue, 'blink-twice');
  j.event(ev('blink', 2600, 2900));
  assert.equal(j.status().state, 'cued', 'once is not twice');
  j.event(ev('blink', 3200, 3500));
  assert.equal(j.status().state, 'closing', 'twice, if no third comes');
  ticked(j, 3550, 4100);
  assert.equal(j.status().state, 'closing');
  ticked(j, 4150, 4150);
  assert.equal(j.status().state, 'passed');
});

test('exact counts: a double blink does not answer "blink once", a triple not "twice", a single not "twice"', () => {
  const once = judge('blink-once');
  ticked(once, 0, 200);
  once.event(ev('blink', 600, 900));
  once.event(ev('blink', 1300, 1600));
  assert.deepEqual(once.status(), { state: 'failed', step: 0, recues: 0, failure: 'wrong-response' });
  const twice = judge('blink-twice');
  ticked(twice, 0, 200);
  twice.event(ev('blink', 600, 900));
  twice.event(ev('blink', 1200, 1500));
  twice.event(ev('blink', 1900, 2200));
  assert.equal(twice.status().failure, 'wrong-response');
  const single = judge('blink-twice');
  ticked(single, 0, 200);
  ticked(single, 250, 850);
  single.event(ev('blink', 600, 900));
  ticked(single, 950, 1550);
  assert.equal(single.status().failure, 'wrong-response', 'the second blink did not come within 600 ms');
  const thrice = judge('blink-thrice', 'turn-right');
  ticked(thrice, 0, 200);
  for (const t of [600, 1150, 1700]) thrice.event(ev('blink', t, t + 300));
  ticked(thrice, 2050, 2650);
  assert.equal(thrice.status().state, 'waiting', 'three, then none in the closing window');
});

test('a turn is that turn and nothing else: another action in its window or before the next cue refuses', () => {
  const wrong = judge('turn-right');
  ticked(wrong, 0, 200);
  wrong.event(ev('turn-left', 800));
  assert.equal(wrong.status().failure, 'wrong-response');
  const blinked = judge('turn-right');
  ticked(blinked, 0, 200);
  blinked.event(ev('blink', 800));
  assert.equal(blinked.status().failure, 'wrong-response', 'a deliberate blink while a turn is asked');
  const again = judge('turn-left', 'blink-once');
  ticked(again, 0, 200);
  again.event(ev('turn-left', 700, 900));
  again.event(ev('turn-left', 950, 1100));
  assert.equal(again.status().failure, 'unprompted', 'a second turn before the next cue');
});

test('anything deliberate before a cue is unprompted; sooner than a reaction, early', () => {
  const before = judge('blink-once');
  ticked(before, 0, 100);
  before.event(ev('blink', 120, 150));
  assert.equal(before.status().failure, 'unprompted');
  const early = judge('turn-right');
  ticked(early, 0, 200);
  early.event(ev('turn-right', 200 + P.minReactionMs - 60));
  assert.equal(early.status().failure, 'early-response');
  const moving = judge('turn-right');
  ticked(moving, 0, 200);
  moving.event(ev('turn-left', 600, 800, 150));
  assert.equal(moving.status().failure, 'early-response', 'another action, the frame before it older than the cue');
  const faceless = judge('blink-once');
  faceless.event(ev('turn-left', 100));
  assert.equal(faceless.status().state, 'waiting', 'before any usable face nothing is judged');
});

test('the wait counts only usable, still time; a long gap between samples counts 150 ms at most', () => {
  const j = judge('turn-left');
  j.tick(0, true);
  ticked(j, 50, 1000, true, true); // an action under way
  ticked(j, 1050, 1500, false); // a guidance problem
  j.tick(1600, true);
  j.tick(2600, true); // a second without a sample
  assert.equal(j.status().state, 'waiting', '150 ms waited of 200');
  j.tick(2650, true);
  assert.equal(j.status().cue, 'turn-left');
});

test('nothing done in the window: the cue stays (pending), the budget ends it', () => {
  const none = judge('blink-once', 'turn-left');
  ticked(none, 0, 3000);
  assert.deepEqual(none.status(), { state: 'cued', step: 0, cue: 'blink-once', recues: 0 });
});

test('a late right answer is no answer: a fresh cue after a new wait, once per attempt; then it passes unjudged', () => {
  const late = judge('blink-twice', 'turn-left');
  ticked(late, 0, 200);
  ticked(late, 250, 200 + P.maxOnsetMs + 400);
  late.event(ev('blink', 200 + P.maxOnsetMs + 100, 200 + P.maxOnsetMs + 400));
  assert.equal(late.status().state, 'cued', 'the second blink of the late answer may come');
  late.event(ev('blink', 1900, 2200));
  ticked(late, 2250, 2850);
  assert.deepEqual(late.status(), { state: 'waiting', step: 0, recues: 1 }, 'the late twice, then the closing window: a fresh cue comes');
  ticked(late, 2900, 3100);
  const cue = late.status().cue;
  assert.ok(cue, 'cued again');
  // Answered on time now: the first step passes with the fresh cue.
  late.event(cue.startsWith('turn') ? ev(cue === 'turn-left' ? 'turn-left' : 'turn-right', 3500) : ev('blink', 3500, 3800));
  for (let k = 1; k < blinksAsked(cue); k++) late.event(ev('blink', 3500 + 500 * k, 3800 + 500 * k));
  ticked(late, 5000, 5700);
  assert.equal(late.status().step, 1, JSON.stringify(late.status()));
  // A second late answer in this attempt: no fresh cue left; it is let pass, the cue stays.
  ticked(late, 5750, 7500);
  const second = late.status().cue;
  assert.ok(second);
  const kind = second.startsWith('turn') ? (second === 'turn-left' ? 'turn-left' : 'turn-right') : 'blink';
  late.event(ev(kind, 7600, 7900));
  for (let k = 1; k < blinksAsked(second); k++) late.event(ev('blink', 7600 + 500 * k, 7900 + 500 * k));
  ticked(late, 9000, 9700);
  assert.deepEqual(late.status(), { state: 'cued', step: 1, cue: second, recues: 1 }, 'not refused, not passed');

  const wrongLate = judge('blink-once', 'turn-left');
  ticked(wrongLate, 0, 200);
  wrongLate.event(ev('turn-right', 200 + P.maxOnsetMs + 100));
  assert.equal(wrongLate.status().failure, 'wrong-response', 'another action, late: still refused');
  const countLate = judge('blink-once', 'turn-left');
  ticked(countLate, 0, 200);
  countLate.event(ev('blink', 1500, 1800));
  countLate.event(ev('blink', 2000, 2300));
  assert.equal(countLate.status().failure, 'wrong-response', 'the wrong count, late: still refused');
});

test('a fresh cue keeps the steps passed and draws the rest among the sequences that still fit', () => {
  const policy: ChallengePolicy = { ...P, steps: 2 };
  const seen = new Set<string>();
  for (let seed = 0; seed < 60; seed++) {
    const j = new ChallengeJudge({
      policy,
      random: seeded(seed),
      steps: [
        { cue: 'turn-left', delayMs: 200 },
        { cue: 'blink-once', delayMs: 200 },
      ],
    });
    ticked(j, 0, 200);
    j.event(ev('turn-left', 600)); // on time
    ticked(j, 650, 850);
    j.event(ev('blink', 2500, 2800)); // late
    ticked(j, 2850, 3450);
    ticked(j, 3500, 3700);
    const c = j.status().cue;
    assert.ok(c, JSON.stringify(j.status()));
    seen.add(c);
  }
  assert.deepEqual(
    [...seen].sort(),
    [...CHALLENGE_CUES].filter((c) => c.startsWith('blink')).sort(),
    'after a turn the last must be a blink: any of the three',
  );
});

test('the asked action first seen after a gap in the frames that spans the cue is a late answer (a fresh cue), never a refusal', () => {
  // The cue at 200; no frame from 150 (the worker enrolling the chip photo) until the patient's answer at 930.
  const gap = judge('blink-twice', 'turn-left');
  ticked(gap, 0, 150);
  gap.tick(200, true);
  assert.equal(gap.status().cue, 'blink-twice');
  gap.event(ev('blink', 930, 1300, 150));
  gap.event(ev('blink', 1480, 1850));
  ticked(gap, 1900, 2500);
  assert.deepEqual(gap.status(), { state: 'waiting', step: 0, recues: 1 }, 'not refused: asked again with a fresh cue');
  ticked(gap, 2550, 2750);
  const fresh = gap.status().cue;
  assert.ok(fresh, 'cued again');
  // The fresh cue, across a gap again: no fresh cue is left, so it is let pass unjudged (the budget ends it).
  const kind = fresh.startsWith('turn') ? (fresh === 'turn-left' ? 'turn-left' : 'turn-right') : 'blink';
  gap.event(ev(kind, 3400, 3700, 2650));
  for (let k = 1; k < blinksAsked(fresh); k++) gap.event(ev('blink', 3400 + 500 * k, 3700 + 500 * k));
  ticked(gap, 5000, 5700);
  assert.deepEqual(gap.status(), { state: 'cued', step: 0, cue: fresh, recues: 1 }, 'not refused, not passed');

  // Across the same gap, another action than the one asked, or one seen too soon, is still refused.
  const wrong = judge('turn-left', 'blink-once');
  ticked(wrong, 0, 200);
  wrong.event(ev('turn-right', 930, 1300, 150));
  assert.equal(wrong.status().failure, 'early-response');
  const soon = judge('turn-left', 'blink-once');
  ticked(soon, 0, 200);
  soon.event(ev('turn-left', 200 + P.minReactionMs - 10, 700, 150));
  assert.equal(soon.status().failure, 'early-response');
});

test('a count of blinks that falls short after a gap in the samples that may hide a blink is spent, not refused', () => {
  // "Blink three times": two blinks seen, the frames stalled for 500 ms between them (a loaded reader).
  const gap = judge('blink-thrice', 'turn-left');
  ticked(gap, 0, 850);
  gap.event(ev('blink', 600, 900));
  ticked(gap, 900, 1000);
  gap.tick(1500, true); // nothing analysed from 1,000 to 1,500: a blink may have been there
  gap.event(ev('blink', 1550, 1850, 1500));
  ticked(gap, 1850, 2600);
  assert.deepEqual(gap.status(), { state: 'cued', step: 0, cue: 'blink-thrice', recues: 0 }, 'not refused, not passed');
  // The gap just before the next blink: seen only in that blink's own frames.
  const before = judge('blink-thrice', 'turn-left');
  ticked(before, 0, 850);
  before.event(ev('blink', 600, 900));
  ticked(before, 900, 1100);
  before.event(ev('blink', 1550, 1850, 1100));
  ticked(before, 1850, 2600);
  assert.equal(before.status().state, 'cued', JSON.stringify(before.status()));
  // The same two blinks with every frame seen: one missing, refused.
  const seen = judge('blink-thrice', 'turn-left');
  ticked(seen, 0, 850);
  seen.event(ev('blink', 600, 900));
  ticked(seen, 900, 1500);
  seen.event(ev('blink', 1550, 1850));
  ticked(seen, 1850, 2600);
  assert.equal(seen.status().failure, 'wrong-response');
});

test('with a screen that reports drawing, the window counts from when the hint was drawn', () => {
  const j = judge('blink-once', 'turn-left');
  ticked(j, 0, 200);
  const drawn = j.awaitDrawn();
  // The patient saw the hint at 1,500 (a loaded reader drew it late) and blinked 600 ms later.
  ticked(j, 250, 2000);
  j.event(ev('blink', 2100, 2400));
  assert.equal(j.status().state, 'cued', 'held until the report');
  drawn(1500);
  ticked(j, 2450, 3050);
  assert.deepEqual(j.status(), { state: 'waiting', step: 1, recues: 0 }, 'on time from the drawing: the next step');
  // A report for a cue that is no longer current does nothing; a re-shown hint does not move the window.
  drawn(2900);
  ticked(j, 3100, 3300);
  const turn = j.awaitDrawn();
  turn(undefined); // superseded: never drawn
  j.event(ev('turn-left', 3500));
  turn(3400);
  assert.equal(j.status().failure, 'early-response', 'begun 100 ms after the hint was drawn');

  const flicker = judge('turn-left', 'blink-once');
  ticked(flicker, 0, 200);
  flicker.awaitDrawn()(300);
  flicker.awaitDrawn()(1200); // the same hint drawn again after a flicker
  flicker.event(ev('turn-left', 800));
  assert.equal(flicker.status().state, 'waiting', 'judged from the first drawing');

  const early = judge('turn-left', 'blink-once');
  ticked(early, 0, 200);
  const report = early.awaitDrawn();
  early.event(ev('turn-left', 600, 800, 550));
  report(700);
  assert.equal(early.status().failure, 'early-response', 'moving before the hint was on the screen');
});

test('a blink of unknown length (sparse frames) neither answers nor refuses; a short count with one is spent, not refused', () => {
  const unsure = (onset: number): ActionEvent => ({ ...ev('blink', onset, onset + 400, onset - 400), unsure: true });
  const waiting = judge('blink-once', 'turn-left');
  ticked(waiting, 0, 100);
  waiting.event(unsure(120));
  assert.equal(waiting.status().state, 'waiting', 'before the cue: not unprompted');
  ticked(waiting, 150, 700);
  assert.equal(waiting.status().cue, 'blink-once');
  waiting.event(unsure(1000));
  ticked(waiting, 1050, 2000);
  assert.deepEqual(waiting.status(), { state: 'cued', step: 0, cue: 'blink-once', recues: 0 }, 'no answer');

  const closing = judge('blink-once', 'turn-left');
  ticked(closing, 0, 200);
  closing.event(ev('blink', 600, 900));
  closing.event(unsure(1100));
  ticked(closing, 950, 1600);
  assert.equal(closing.status().state, 'waiting', 'in the closing window: not one blink too many');

  const short = judge('blink-thrice', 'turn-left');
  ticked(short, 0, 200);
  short.event(ev('blink', 600, 900));
  short.event(unsure(1150)); // 550 ms apart, as a person blinks three times
  short.event(ev('blink', 1700, 2000));
  ticked(short, 2050, 2650);
  assert.deepEqual(short.status(), { state: 'cued', step: 0, cue: 'blink-thrice', recues: 0 }, 'two sure of three: not refused');
  short.event(ev('blink', 3000, 3300));
  ticked(short, 3350, 4000);
  assert.equal(short.status().state, 'cued', 'spent: further blinks pass unjudged, none passes the step');
  short.event(ev('turn-right', 4200));
  assert.equal(short.status().failure, 'wrong-response', 'another action still refuses');
});

/** Every sequence of `n` of the five cues with a turn and a blink (apart from the code). */
function validSequences(n: number): string[][] {
  const out: string[][] = [];
  for (let code = 0; code < 5 ** n; code++) {
    const seq = [...Array(n).keys()].map((i) => CHALLENGE_CUES[Math.floor(code / 5 ** i) % 5]!);
    if (seq.some((c) => c.startsWith('turn')) && seq.some((c) => c.startsWith('blink'))) out.push(seq);
  }
  return out;
}

/** For each step, the largest share of the valid sequences with some prefix that continue with one cue. */
function likeliestByBruteForce(n: number): number[] {
  const all = validSequences(n);
  return [...Array(n).keys()].map((i) => {
    const byPrefix = new Map<string, Map<string, number>>();
    for (const seq of all) {
      const key = seq.slice(0, i).join(',');
      const m = byPrefix.get(key) ?? new Map<string, number>();
      m.set(seq[i]!, (m.get(seq[i]!) ?? 0) + 1);
      byPrefix.set(key, m);
    }
    let most = 0;
    for (const m of byPrefix.values()) {
      const total = [...m.values()].reduce((a, b) => a + b, 0);
      most = Math.max(most, ...[...m.values()].map((c) => c / total));
    }
    return most;
  });
}

test.run();
