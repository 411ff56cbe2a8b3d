/**
 * `bench face`'s comparison: the sides take turns (each goes first on half the streams), and the
 * pipeline ÷ model figure weighs frames by their time, against sums worked out by hand.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { median, overModel, turnOrder } from '../../../../cli/commands/bench/side-by-side.ts';

test('the side that goes first alternates stream by stream: each side first on half of twelve streams', () => {
  const firsts = Array.from({ length: 12 }, (_, i) => turnOrder(i)[0]);
  assert.equal(firsts.slice(0, 4), ['ours', 'faceApi', 'ours', 'faceApi']);
  assert.is(firsts.filter((s) => s === 'ours').length, 6);
  for (let i = 0; i < 12; i++) assert.equal([...turnOrder(i)].sort(), ['faceApi', 'ours'], 'both sides on every stream');
});

test('pipeline ÷ model: total over total, not the ratio of two different frames’ p50s', () => {
  // Five light frames (pipeline 6, model 5) and four with the detector (pipeline 13, model 12):
  // the p50s (6 and 5) would say 1.2; the time says (30 + 52) / (25 + 48).
  const pipeline = [6, 6, 6, 6, 6, 13, 13, 13, 13];
  const model = [5, 5, 5, 5, 5, 12, 12, 12, 12];
  assert.is(overModel(pipeline, model), 82 / 73);
  assert.is(median(pipeline) / median(model), 1.2);
});

test('median: the middle value of an odd count, the upper middle of an even one, NaN of none', () => {
  assert.is(median([3, 1, 2]), 2);
  assert.is(median([4, 1, 3, 2]), 3);
  assert.ok(Number.isNaN(median([])));
});

test.run();
