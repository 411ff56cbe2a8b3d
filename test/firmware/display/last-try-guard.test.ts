/**
 * The last-PIN-try warning (issue #14 finding 7): no button is the keypad's Enter, and presses
 * that arrive in the first moment after the warning appears (a reflexive Enter or tap after a
 * wrong PIN) are dropped, so the patient has read the warning before going on.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SCREENS } from '../../../firmware/display/screens/index.ts';
import type { Clock } from '../../../firmware/ports/clock.ts';
import { simUi, tick } from './helpers.ts';

/** A clock whose monotonic time the test moves by hand (no timers are used by the guard). */
function manualClock(): Clock & { advance(ms: number): void } {
  let t = 1_000;
  return {
    now: () => 1_700_000_000_000 + t,
    monotonic: () => t,
    setTimeout: () => ({ cancel: () => undefined }),
    sleep: () => Promise.resolve(),
    advance(ms: number) {
      t += ms;
    },
  };
}

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await tick();
}

test('the warning has no default button: a keypad Enter presses nothing, even long after it appeared', async () => {
  assert.not.ok(
    SCREENS['pin-warning-last-try'].buttons.some((b) => b.default),
    'no default button on the last-try warning',
  );
  const clock = manualClock();
  const { ui, keypad, touch } = simUi(800, 480, 'XRGB8888', clock);
  try {
    await ui.show('pin-warning-last-try', {}, 'ja');
    clock.advance(10_000);
    keypad.press('enter');
    await settle();
    touch.tapButton('cancel');
    await settle();
    const first = await ui.waitForAction();
    assert.is(first.buttonId, 'cancel', 'Enter must not have pressed "continue"');
  } finally {
    await ui.close();
  }
});

test('taps in the first moment after the warning appears are dropped; a later tap counts', async () => {
  const clock = manualClock();
  const { ui, touch, keypad } = simUi(800, 480, 'XRGB8888', clock);
  try {
    await ui.show('pin-warning-last-try', {}, 'ja');
    assert.not.ok(ui.inputOpen, 'input is closed right after the warning appears');
    touch.tapButton('continue');
    keypad.press('cancel');
    await settle();
    clock.advance(2_000);
    assert.ok(ui.inputOpen);
    touch.tapButton('staff');
    await settle();
    assert.is((await ui.waitForAction()).buttonId, 'staff', 'the early "continue" and "cancel" were dropped');
  } finally {
    await ui.close();
  }
});

test('other screens take input at once', async () => {
  const clock = manualClock();
  const { ui, touch } = simUi(800, 480, 'XRGB8888', clock);
  try {
    await ui.show('method', {}, 'ja');
    assert.ok(ui.inputOpen);
    touch.tapButton('pin');
    await settle();
    assert.is((await ui.waitForAction()).buttonId, 'pin');
  } finally {
    await ui.close();
  }
});

test.run();
