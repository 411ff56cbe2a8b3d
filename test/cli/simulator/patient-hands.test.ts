/**
 * The simulated patient presses only what is drawn: a tap asked for before its screen is on the
 * panel waits for the frame, then a human delay; an early tap (where the button was last time)
 * lands on a blank spot of the screen shown and must not be taken for anything.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createLogger } from '../../../firmware/core/logger.ts';
import { ScreenKit } from '../../../cli/simulator/screen-kit.ts';

const log = createLogger({ sink: { write: () => undefined }, level: 'error' });

test('a tap waits for the button to be drawn, then for a human delay; an early tap on a blank spot is ignored', async () => {
  const memory = new Map([['face', { x: 3, y: 3 }]]);
  const kit = new ScreenKit(log, { pace: { minMs: 120, maxMs: 120, earlyProbability: 1, seed: 2 }, memory });
  try {
    await kit.ui.show('card-reading');
    const signal = new AbortController().signal;
    const tapped = kit.tap('face');
    await new Promise((r) => setTimeout(r, 150));
    assert.is(kit.hands.earlyTaps, 1, 'tapped too early, where it saw the button before');
    await kit.ui.show('method');
    const drawnAt = kit.display.lastFrameAt;
    const chosen = await kit.ui.waitForAction(['face', 'pin'], signal);
    const pressedAt = performance.now();
    assert.is(chosen, 'face', 'the early tap on the reading screen was not taken for a choice');
    assert.ok(pressedAt - drawnAt >= 110, `pressed ${Math.round(pressedAt - drawnAt)} ms after the frame`);
    await kit.ui.show('face');
    await tapped;
    assert.not.equal(memory.get('face'), { x: 3, y: 3 }, 'remembers where the button really was');
  } finally {
    await kit.close();
  }
});

test.run();
