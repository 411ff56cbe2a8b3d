/**
 * The liveness challenge's draw and its judge, on made-up action events: what is asked is random
 * (a CSPRNG in the product, a seeded source here) with a head turn in every challenge; an action
 * (a turn; blinks are judged only as the answer to a blink cue) before the cue postpones it once and then fails; after the cue the first deliberate action
 * decides — too soon to be a reaction, or not what was asked, is a spoof; the asked one in its
 * window completes the step.
 */
import assert from 'node:assert/strict';
import { test } from 'uvu';
import type { ActionEvent } from '../../../firmware/face/liveness/actions.ts';
import { ChallengeJudge, DEFAULT_CHALLENGE_POLICY, drawChallenge, type ChallengeStep } from '../../../firmware/face/liveness/challenge.ts';
import { seededRandom } from '../../../hardware-sim/camera/image.ts';

const seeded = (seed: number) => {
  const r = seededRandom(seed);
  return (max: number): number => Math.floor(r() * max);
};
const steps = (...cues: ChallengeStep['cue'][]): ChallengeStep[] => cues.map((cue) => ({ cue, delayMs: 200 }));
/** An action first seen at `onset`, the frame before it (still) at `after` (30 frames/s unless given). */
const ev = (kind: ActionEvent['kind'], onset: number, at = onset + 250, after = onset - 33): ActionEvent => ({ kind, onset, after, at });

/** A judge fed a usable face every 50 ms from 0 to `until` ms. */
function ticked(judge: ChallengeJudge, from: number, until: number): void {
  for (let t = from; t <= until; t += 50) judge.tick(t, true);
}

test('every challenge has a head turn; cues, counts and waits vary from draw to draw', () => {
  const seen = new Set<string>();
  const waits = new Set<number>();
  for (let seed = 1; seed <= 200; seed++) {
    const c = drawChallenge(DEFAULT_CHALLENGE_POLICY, seeded(seed));
    assert.equal(c.length, DEFAULT_CHALLENGE_POLICY.steps);
    assert.ok(
      c.some((s) => s.cue === 'turn-left' || s.cue === 'turn-right'),
      JSON.stringify(c),
    );
    for (const s of c) {
      seen.add(s.cue);
      waits.add(s.delayMs);
      assert.ok(s.delayMs >= 50 && s.delayMs <= 400);
    }
  }
  assert.deepEqual([...seen].sort(), ['blink-once', 'blink-twice', 'turn-left', 'turn-right']);
  assert.ok(waits.size > 50, `only ${waits.size} different waits`);
});

test('the asked actions in their windows pass; the cue waits for the first usable face', () => {
  const j = new ChallengeJudge(steps('turn-left', 'blink-twice'));
  j.tick(0, false);
  j.tick(500, false);
  assert.equal(j.status().state, 'waiting', 'no usable face: nothing asked');
  ticked(j, 1000, 1150);
  assert.equal(j.status().state, 'waiting');
  ticked(j, 1200, 1250);
  assert.equal(j.status().cue, 'turn-left');
  j.event(ev('turn-left', 1700));
  assert.equal(j.status().state, 'waiting', 'step 1 done, the next cue after its wait');
  ticked(j, 2000, 2200);
  assert.equal(j.status().cue, 'blink-twice');
  j.event(ev('blink', 2600, 2900));
  assert.equal(j.status().state, 'cued', 'once is not twice');
  j.event(ev('blink', 3300, 3600));
  assert.equal(j.status().state, 'passed');
});

test('a turn before the cue postpones it once; a second is unprompted: spoof', () => {
  const j = new ChallengeJudge(steps('blink-once'));
  ticked(j, 0, 100);
  j.event(ev('turn-left', 120, 150));
  ticked(j, 150, 300);
  assert.equal(j.status().state, 'waiting', 'postponed');
  j.event(ev('turn-right', 300));
  assert.deepEqual(j.status(), { state: 'failed', step: 0, failure: 'unprompted' });
});

test('a blink is judged only as the answer to a blink cue: people blink on their own while waiting or turning', () => {
  const waiting = new ChallengeJudge(steps('turn-left'));
  ticked(waiting, 0, 100);
  waiting.event(ev('blink', 120, 150));
  waiting.event(ev('blink', 160, 190));
  assert.equal(waiting.status().state, 'waiting', 'two spontaneous blinks before the cue: neither postpones nor refuses');
  ticked(waiting, 150, 350);
  assert.equal(waiting.status().cue, 'turn-left');
  waiting.event(ev('blink', 800));
  assert.equal(waiting.status().state, 'cued', 'a blink while a turn is asked: no answer, no refusal');
  waiting.event(ev('turn-left', 900));
  assert.equal(waiting.status().state, 'passed');
  const tooSoon = new ChallengeJudge(steps('blink-once'));
  ticked(tooSoon, 0, 250);
  tooSoon.event(ev('blink', 250 + DEFAULT_CHALLENGE_POLICY.minReactionMs - 60));
  assert.equal(tooSoon.status().state, 'cued', "a blink sooner than a reaction to the blink cue: the patient's own, no refusal");
  tooSoon.event(ev('blink', 900));
  assert.equal(tooSoon.status().state, 'passed');
  const blinkAsked = new ChallengeJudge(steps('blink-once'));
  ticked(blinkAsked, 0, 250);
  blinkAsked.event(ev('turn-right', 800));
  assert.equal(blinkAsked.status().failure, 'wrong-response', 'a turn while a blink is asked is refused');
});

test('an action begun sooner than a reaction, or another than asked, is a spoof', () => {
  const early = new ChallengeJudge(steps('turn-right'));
  ticked(early, 0, 250);
  assert.equal(early.status().cue, 'turn-right');
  early.event(ev('turn-right', 250 + DEFAULT_CHALLENGE_POLICY.minReactionMs - 60));
  assert.equal(early.status().failure, 'early-response');
  const wrong = new ChallengeJudge(steps('turn-right'));
  ticked(wrong, 0, 250);
  wrong.event(ev('turn-left', 800));
  assert.equal(wrong.status().failure, 'wrong-response');
});

test('frames far apart: an action that may have begun before the cue is no answer and no refusal; one certainly begun after it is judged', () => {
  // A loaded reader analyses a frame every 400 ms: the cue is given on the frame that first shows
  // the patient's head leaving rest (sway, or a turn begun just then); the frame before was still.
  const sparse = new ChallengeJudge(steps('turn-right'));
  sparse.tick(0, true);
  sparse.tick(400, true);
  assert.equal(sparse.status().cue, 'turn-right', 'cued on the frame at 400 ms');
  sparse.event(ev('turn-right', 400, 800, 0));
  assert.equal(sparse.status().state, 'cued', 'begun somewhere in 0–400 ms: not known to be a reaction, not known to be early');
  sparse.tick(800, true);
  sparse.event(ev('turn-right', 1200, 1600, 800));
  assert.equal(sparse.status().state, 'passed', 'the turn seen after the cue answers it');
  const certain = new ChallengeJudge(steps('turn-right'));
  certain.tick(0, true);
  certain.tick(400, true);
  certain.event(ev('turn-right', 480, 800, 400));
  assert.equal(certain.status().failure, 'early-response', 'still at the cue, moving 80 ms later: no person reacts that fast');
});

test('the step just done, done again (a patient still answering it), and an action begun before its cue are no answers and no refusals', () => {
  const j = new ChallengeJudge(steps('blink-twice', 'turn-left'));
  ticked(j, 0, 200);
  j.event(ev('blink', 600, 900));
  j.event(ev('blink', 1150, 1450));
  assert.equal(j.status().state, 'waiting', 'step 1 done');
  j.event(ev('blink', 1700, 2000)); // asked twice, blinks a third time as the screen changes
  ticked(j, 1500, 1700);
  assert.equal(j.status().cue, 'turn-left', 'not postponed: the repeat is ignored');
  j.event(ev('turn-left', 2300));
  assert.equal(j.status().state, 'passed');
  const spill = new ChallengeJudge(steps('turn-left', 'turn-right'));
  ticked(spill, 0, 200);
  spill.event(ev('turn-left', 600, 800));
  ticked(spill, 850, 1050);
  assert.equal(spill.status().cue, 'turn-right');
  spill.event(ev('blink', 950, 1250));
  assert.equal(spill.status().state, 'cued', 'a blink begun before the cue is no answer to it, nor a refusal');
  const late = new ChallengeJudge(steps('turn-right', 'blink-once'));
  ticked(late, 0, 200);
  late.event(ev('turn-right', 600));
  ticked(late, 850, 1200);
  assert.equal(late.status().cue, 'blink-once');
  late.event(ev('turn-left', 2900));
  assert.equal(late.status().failure, 'wrong-response', 'another action, long after: still refused');
});

test('nothing done in the window: asked again once, then it runs out (pending)', () => {
  const j = new ChallengeJudge(steps('blink-once'));
  ticked(j, 0, 200);
  assert.equal(j.status().state, 'cued');
  ticked(j, 250, 200 + DEFAULT_CHALLENGE_POLICY.maxOnsetMs + 100);
  assert.equal(j.status().state, 'waiting', 'the cue is taken down and given again');
  ticked(j, 1900, 2200);
  assert.equal(j.status().state, 'cued');
  ticked(j, 2250, 5000);
  assert.equal(j.status().state, 'cued', "no more re-cues: the verifier's budget ends it");
  j.event(ev('blink', 4800));
  assert.equal(j.status().state, 'cued', 'too late to count');
});

test('each step has its own re-cue: a cue missed in step 2 is given again though step 1 used its own', () => {
  const j = new ChallengeJudge(steps('turn-left', 'blink-once'));
  ticked(j, 0, 200);
  ticked(j, 250, 200 + DEFAULT_CHALLENGE_POLICY.maxOnsetMs + 100);
  ticked(j, 1850, 2100);
  assert.equal(j.status().cue, 'turn-left', 'step 1 asked again');
  j.event(ev('turn-left', 2500, 2800));
  ticked(j, 2850, 3050);
  assert.equal(j.status().cue, 'blink-once');
  ticked(j, 3100, 3050 + DEFAULT_CHALLENGE_POLICY.maxOnsetMs + 100);
  assert.equal(j.status().state, 'waiting', 'step 2 missed: taken down');
  ticked(j, 4700, 5000);
  assert.equal(j.status().cue, 'blink-once', 'and given again');
  j.event(ev('blink', 5400, 5700));
  assert.equal(j.status().state, 'passed');
});

test.run();
