/**
 * ScreenKit.when, what the consoles wait with (a step typed while the screen changes, `expect:`,
 * the idle screen after a rebuild): true as soon as the frame of the screen asked for is drawn or
 * the reader starts waiting for a press, false after the bound, and nothing checked after it ended.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createLogger } from '../../../firmware/core/logger.ts';
import { ScreenKit } from '../../../cli/simulator/screen-kit.ts';

const log = createLogger({ sink: { write: () => undefined }, level: 'error' });

test('true once the screen asked for is on the panel, without a timer firing in between', async () => {
  const kit = new ScreenKit(log);
  try {
    await kit.ui.show('card-reading');
    let checks = 0;
    const drawn = kit.when(() => {
      checks++;
      return kit.screenUi.layout?.screen === 'method';
    }, 10_000);
    const t0 = performance.now();
    await kit.ui.show('method');
    assert.is(await drawn, true);
    assert.ok(performance.now() - t0 < 5_000, 'answered by the frame, not by the bound');
    const seen = checks;
    await kit.ui.show('done');
    await kit.ui.show('method');
    assert.is(checks, seen, 'no check after it answered: its listeners are gone');
  } finally {
    await kit.close();
  }
});

test('true once the reader waits for a press (an input change with no frame)', async () => {
  const kit = new ScreenKit(log);
  try {
    await kit.ui.show('method');
    const t0 = performance.now();
    const waiting = kit.when(() => kit.adapter.input?.kind === 'action', 10_000);
    const pressed = kit.ui.waitForAction(['face', 'pin'], new AbortController().signal);
    assert.is(await waiting, true);
    assert.ok(performance.now() - t0 < 5_000, 'answered by the change, not by the bound');
    kit.touch.tapButton('pin');
    assert.is(await pressed, 'pin');
  } finally {
    await kit.close();
  }
});

test('false after the bound when nothing comes; no check after it', async () => {
  const kit = new ScreenKit(log);
  try {
    let checks = 0;
    assert.is(
      await kit.when(() => {
        checks++;
        return false;
      }, 50),
      false,
    );
    const seen = checks;
    await kit.ui.show('method');
    assert.is(checks, seen);
  } finally {
    await kit.close();
  }
});

test.run();
