/**
 * ScreenUiAdapter.onChange: whoever shows what the reader waits for (the QA console) is told at
 * once of every change of `screen` and `input` (a screen asked for, a wait begun or ended, a PIN
 * digit entered), with the new value readable in the call, and nothing after it stops listening.
 * `show` resolves true once drawn, false when a newer screen made drawing it pointless (the face
 * step reports a liveness cue's drawing time from it). On the real ScreenUi over the simulated
 * display, touch panel and keypad.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createLogger, MemorySink } from '../../../../firmware/core/logger.ts';
import { ScreenUiAdapter } from '../../../../firmware/visit/adapters/screen-ui.ts';
import { simUi } from '../../display/helpers.ts';

function adapter(): { a: ScreenUiAdapter; parts: ReturnType<typeof simUi>; seen: string[]; stop: () => void } {
  const parts = simUi();
  const a = new ScreenUiAdapter(parts.ui, {
    log: createLogger({ sink: new MemorySink(), level: 'warn' }),
    decodePhoto: () => Promise.reject(new Error('no photo in this test')),
  });
  const seen: string[] = [];
  const stop = a.onChange(() => {
    const i = a.input;
    seen.push(
      `${a.screen ?? '-'}:${i === undefined ? 'nothing' : i.kind === 'action' ? `action(${i.accept.join(',')})` : `${i.kind}(${i.entered})`}`,
    );
  });
  return { a, parts, seen, stop };
}

/** Resolves once `seen` has `want` (bounded: a pad renders well within 10 s even on a loaded machine). */
async function until(seen: readonly string[], want: string): Promise<void> {
  const end = Date.now() + 10_000;
  while (!seen.includes(want) && Date.now() < end) await new Promise((r) => setTimeout(r, 5));
  assert.ok(seen.includes(want), `never saw ${want}: ${seen.join(' ')}`);
}

test('a screen asked for, a wait for a button begun and ended: each told at once', async () => {
  const { a, parts, seen, stop } = adapter();
  try {
    await a.show('method');
    assert.equal(seen, ['method:nothing']);
    const signal = new AbortController().signal;
    const pressed = a.waitForAction(['face', 'pin'], signal);
    assert.equal(seen.at(-1), 'method:action(face,pin)', 'the wait is told before anything is pressed');
    parts.touch.tapButton('pin');
    assert.is(await pressed, 'pin');
    assert.equal(seen.at(-1), 'method:nothing', 'the end of the wait is told');
  } finally {
    stop();
    await parts.ui.close();
  }
});

test('the PIN pad: each digit entered is told with the new count (never the digits)', async () => {
  const { a, parts, seen, stop } = adapter();
  try {
    await a.show('pin');
    const secret = a.readSecret('pin', { triesLeft: 3 }, new AbortController().signal);
    await until(seen, 'pin:pin(0)');
    for (const [i, d] of [2, 4, 6].entries()) {
      parts.keypad.press(d);
      await until(seen, `pin:pin(${i + 1})`);
    }
    parts.keypad.press(8);
    const got = await secret;
    assert.is(got.kind, 'entered');
    assert.equal(seen.at(-1), 'pin:nothing');
    assert.not.ok(
      seen.some((s) => /[2468]{2}/.test(s)),
      'no digits in what is told',
    );
  } finally {
    stop();
    await parts.ui.close();
  }
});

test('after the stop function, nothing more is told', async () => {
  const { a, parts, seen, stop } = adapter();
  try {
    await a.show('method');
    stop();
    await a.show('done');
    void a.waitForAction(['ok'], new AbortController().signal).catch(() => undefined);
    assert.equal(seen, ['method:nothing']);
  } finally {
    await parts.ui.close();
  }
});

test('show says whether it drew: a face hint superseded while waiting its turn resolves false (never on the panel)', async () => {
  const { a, parts, stop } = adapter();
  try {
    const first = a.show('face', { hint: 'position' });
    await new Promise((r) => setImmediate(r)); // its render has begun
    const skipped = a.show('face', { hint: 'blinkOnce' });
    const last = a.show('face', { hint: 'turnLeft' });
    assert.equal(await Promise.all([first, skipped, last]), [true, false, true]);
    assert.is(parts.ui.layout?.texts.find((t) => t.id === 'hint')?.text !== undefined, true);
  } finally {
    stop();
    await parts.ui.close();
  }
});

test.run();
