/**
 * The arithmetic of following a face between the detector's confirmations (tracking.ts): the
 * anchored box, the drift check, the detector's schedule.
 */
import assert from 'node:assert/strict';
import { test } from 'uvu';
import { anchoredBox, followShares, followStep, stillAnchored, type Anchor } from '../../../../firmware/face/pipeline/tracking.ts';

const anchor: Anchor = {
  box: { x: 100, y: 120, width: 140, height: 150, score: 0.9, angle: 0.1 },
  square: { cx: 168, cy: 190, side: 140, angle: 0.05 },
};

test('anchoredBox: the confirmed box, moved with the landmark square and scaled by its growth', () => {
  // Same square: the same box.
  assert.deepEqual(anchoredBox(anchor, anchor.square), anchor.box);
  // Square moved by (+10, −4) and 10 % bigger: the box's centre keeps its offset (+2, +5) × 1.1 from the square's centre.
  const b = anchoredBox(anchor, { cx: 178, cy: 186, side: 154, angle: 0 });
  const close = (a: number, e: number, what: string): void => assert.ok(Math.abs(a - e) < 1e-9, `${what}: ${a} ≠ ${e}`);
  close(b.x + b.width / 2, 178 + 2 * 1.1, 'centre x');
  close(b.y + b.height / 2, 186 + 5 * 1.1, 'centre y');
  close(b.width, 154, 'width');
  close(b.height, 165, 'height');
  assert.equal(b.score, 0.9);
  assert.equal(b.angle, 0.1);
});

test('stillAnchored: within a factor 1.25 of the confirmed size and a quarter of its side from its centre', () => {
  const at = (dx: number, dy: number, side: number): boolean => stillAnchored(anchor, { cx: 168 + dx, cy: 190 + dy, side, angle: 0 });
  assert.ok(at(0, 0, 140));
  assert.ok(at(34, 0, 140) && at(0, -34, 140) && at(24, 24, 140));
  assert.ok(!at(36, 0, 140) && !at(0, 36, 140) && !at(25, 25, 140));
  assert.ok(at(0, 0, 174) && at(0, 0, 113));
  assert.ok(!at(0, 0, 176) && !at(0, 0, 111));
});

test('followStep: the detector confirms on every third frame and looks at the whole frame on every eighth', () => {
  let sinceConfirm = 0;
  let sinceFull = 0;
  const steps: string[] = [];
  for (let i = 0; i < 16; i++) {
    const s = followStep(sinceConfirm, sinceFull, 3, 8);
    steps.push(s[0]!);
    sinceConfirm = s === 'glance' ? sinceConfirm + 1 : 0;
    sinceFull = s === 'full' ? 0 : sinceFull + 1;
  }
  assert.equal(steps.join(''), 'ggcggcgfggcggcgf');
  assert.deepEqual(followShares(3, 8), { confirm: 3 / 8, full: 1 / 8 });
  assert.deepEqual(followShares(1, 8), { confirm: 1, full: 1 / 8 });
});

test.run();
