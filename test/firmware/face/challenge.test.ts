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
  new ChallengeJudge({ policy: P, steps: cues.map((cue) => ({ cue, delayMs: 200 })) });
/** An action first seen at `onset`, the frame before it (still) at `after`, done at `at`. */
const ev = (kind: ActionEvent['kind'], onset: number, at = onset + 300, after = onset - 50): ActionEvent => ({ kind, onset, after, at });

/** A usable, still face every 50 ms from `from` to `until` ms. */
function ticked(j: ChallengeJudge, from: number, until: number, usable = true, busy = false): void {
  for (let t = from; t <= until; t += 50) j.tick(t, usable, busy);
}

test('draws: uniform among the sequences with a turn and a blink; all five cues; waits in their ranges', () => {
  // Brute force, apart from the code: every sequence of 4 cues out of 5 with a turn and a blink.
  let brute = 0;
  for (let code = 0; code < 5 ** 4; code++) {
    const seq = [0, 1, 2, 3].map((i) => Math.floor(code / 5 ** i) % 5);
    if (seq.some((c) => c >= 3) && seq.some((c) => c < 3)) brute++;
  }
  assert.equal(sequenceCount(DEFAULT_CHALLENGE_POLICY), brute);
  assert.equal(brute, 528);
  const counts = new Map<string, number>();
  const cues = new Set<string>();
  const random = seeded(7);
  const n = 10_560;
  for (let d = 0; d < n; d++) {
    const c = drawChallenge(DEFAULT_CHALLENGE_POLICY, random);
    assert.equal(c.steps.length, 4);
    assert.ok(c.steps.some((s) => s.cue.startsWith('turn')) && c.steps.some((s) => s.cue.startsWith('blink')), JSON.stringify(c.steps));
    c.steps.forEach((s, i) => {
      const [lo, hi] = DEFAULT_CHALLENGE_POLICY.delayMs[Math.min(i, 1)]!;
      assert.ok(s.delayMs >= lo && s.delayMs <= hi, `${s.delayMs} outside ${lo}–${hi}`);
      cues.add(s.cue);
    });
    const key = c.steps.map((s) => s.cue).join(',');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  assert.deepEqual([...cues].sort(), [...CHALLENGE_CUES].sort());
  assert.equal(counts.size, 528, 'every sequence comes');
  // 20 expected each: none as many as 45 (p ≈ 1e-6 each under uniformity).
  assert.ok(Math.max(...counts.values()) < 45, `likeliest sequence ${Math.max(...counts.values())} of ${n}`);
});

test('the bound: 1 / sequences while waits are narrower than the window; a wider wait divides it by spread ÷ (window + gap)', () => {
  const narrow: ChallengePolicy = { ...DEFAULT_CHALLENGE_POLICY, delayMs: [[100, 300]] };
  assert.equal(replayChanceBound(narrow), 1 / 528);
  assert.equal(replayChanceBound({ ...narrow, steps: 2 }), 1 / 12);
  assert.equal(replayChanceBound({ ...narrow, steps: 3 }), 1 / 90);
  // Default: the first wait is drawn from 2,001 ms, the window is 900 ms wide, samples count ≤ 150 ms apart.
  assert.equal(replayChanceBound(DEFAULT_CHALLENGE_POLICY), 1051 / 2001 / 528);
  assert.ok(replayChanceBound(DEFAULT_CHALLENGE_POLICY) <= 0.001);
  assert.equal(
    replayChanceBound({ ...DEFAULT_CHALLENGE_POLICY, maxRecues: 1 }),
    Math.min(1, 2102 / 2001) / 528,
    'a re-cue is another chance',
  );
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
  assert.deepEqual(once.status(), { state: 'failed', step: 0, failure: 'wrong-response' });
  const twice = judge('blink-twice');
  ticked(twice, 0, 200);
  twice.event(ev('blink', 600, 900));
  twice.event(ev('blink', 1200, 1500));
  twice.event(ev('blink', 1900, 2200));
  assert.equal(twice.status().failure, 'wrong-response');
  const single = judge('blink-twice');
  ticked(single, 0, 200);
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

test('anything deliberate before a cue is unprompted; sooner than a reaction, early; after the window, wrong', () => {
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
  moving.event(ev('turn-right', 600, 800, 150));
  assert.equal(moving.status().failure, 'early-response', 'the frame before the motion came before the cue');
  const late = judge('blink-once');
  ticked(late, 0, 200);
  late.tick(200 + P.maxOnsetMs, true, true); // eyes shut at the window's end: it stays open
  late.event(ev('blink', 200 + P.maxOnsetMs + 60));
  assert.equal(late.status().failure, 'wrong-response');
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

test('nothing done in the window: given again `maxRecues` times, then it runs out (pending)', () => {
  const j = new ChallengeJudge({ policy: { ...P, maxRecues: 1 }, steps: [{ cue: 'blink-once', delayMs: 200 }] });
  ticked(j, 0, 200);
  ticked(j, 250, 200 + P.maxOnsetMs + 50);
  assert.equal(j.status().state, 'waiting', 'the cue is taken down and given again');
  ticked(j, 1450, 1650);
  assert.equal(j.status().state, 'cued');
  ticked(j, 1700, 5000);
  assert.equal(j.status().state, 'cued', "no more re-cues: the verifier's budget ends it");
  const none = judge('blink-once');
  ticked(none, 0, 3000);
  assert.equal(none.status().state, 'cued', 'the shipped policy gives no re-cue');
});

test.run();
