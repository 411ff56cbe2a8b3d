/**
 * The visit's pads on the screen (ScreenUiAdapter.readSecret, the one entry loop production, these
 * tests and the display bench run): the PIN pad reshuffled on every display, driven by touch and by
 * the HID-style keypad, tries left and the last-try warning, and no digit ever reaching the log.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isPermutationOfDigits } from '../../../../firmware/display/layout/templates/pinpad.ts';
import type { Layout } from '../../../../firmware/display/layout/types.ts';
import type { ScreenUi } from '../../../../firmware/display/screen-ui.ts';
import { decodeJpeg2000 } from '../../../../firmware/face/enrol/jp2-decode.ts';
import { ScreenUiAdapter } from '../../../../firmware/visit/adapters/screen-ui.ts';
import type { UiSecret } from '../../../../firmware/visit/deps.ts';
import { hex, simUi, tick } from '../../display/helpers.ts';

const digitOrderOf = (l: Layout): number[] =>
  l.buttons
    .filter((b) => b.id.startsWith('digit-'))
    .sort((a, b) => a.rect.y - b.rect.y || a.rect.x - b.rect.x)
    .map((b) => Number(b.id.slice(6)));

function adapterOn(ui: ScreenUi, lang: string): ScreenUiAdapter {
  const a = new ScreenUiAdapter(ui, { log: ui.options.log, decodePhoto: decodeJpeg2000 });
  a.setLanguage(lang);
  return a;
}

async function inputOpen(ui: { readonly inputOpen: boolean }): Promise<void> {
  for (let i = 0; i < 400 && !ui.inputOpen; i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(ui.inputOpen, 'input guard ended');
}

async function waitForScreen(get: () => Layout | undefined, screen: string, entered?: number): Promise<Layout> {
  for (let i = 0; i < 2000; i++) {
    const l = get();
    if (l && l.screen === screen && (entered === undefined || l.dots?.filled === entered)) return l;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`screen ${screen} did not appear`);
}

test('touch: the pad is reshuffled on every display, digits hit by position, the PIN returned as bytes', async () => {
  const { ui, touch, sink } = simUi();
  const pads = adapterOn(ui, 'ja');
  const orders: string[] = [];
  for (let round = 0; round < 2; round++) {
    const result = pads.readSecret('pin', { triesLeft: 3 }, new AbortController().signal);
    let layout = await waitForScreen(() => ui.layout, 'pin', 0);
    const order = digitOrderOf(layout);
    assert.ok(isPermutationOfDigits(order));
    orders.push(order.join(''));
    assert.ok(
      layout.texts.some((t) => t.text === 'あと3回'),
      'tries left shown before entry',
    );
    for (const [i, d] of [2, 0, 2, 6].entries()) {
      layout = await waitForScreen(() => ui.layout, 'pin', i);
      touch.tapButton(`digit-${d}`);
      await tick();
    }
    const r = await result;
    assert.is(r.kind, 'entered');
    if (r.kind !== 'entered') return;
    assert.is(Buffer.from(r.value).toString('ascii'), '2026');
    r.value.fill(0);
  }
  assert.is.not(orders[0], orders[1], 'reshuffled between displays');
  const log = sink.lines.join('\n');
  assert.not.match(log, 'digit-');
  assert.not.match(log, '2026');
  await ui.close();
});

test('HID keypad feeds the same pad; clear resets the mask; cancel returns cancel', async () => {
  const { ui, keypad, display } = simUi(1024, 600, 'RGB565');
  const result = adapterOn(ui, 'en').readSecret('pin', { triesLeft: 2 }, new AbortController().signal);
  await waitForScreen(() => ui.layout, 'pin', 0);
  keypad.press(5);
  keypad.press(6);
  const two = await waitForScreen(() => ui.layout, 'pin', 2);
  assert.is(two.dots?.filled, 2);
  keypad.press('clear');
  await waitForScreen(() => ui.layout, 'pin', 0);
  keypad.type('7');
  await waitForScreen(() => ui.layout, 'pin', 1);
  keypad.press('cancel');
  assert.equal(await result, { kind: 'cancelled' });
  assert.ok(display.frames >= 4, 'each press redrew the pad');
  await ui.close();
});

test('last try: a warning first (staff or continue), as the PIN step shows it; tries text in the error colour', async () => {
  const { ui, touch, display } = simUi();
  const pads = adapterOn(ui, 'ja');
  const signal = new AbortController().signal;
  const lastTry = async (wrong: boolean): Promise<'staff' | 'cancel' | UiSecret> => {
    await pads.show('pin-warning-last-try', { triesLeft: 1, lastTry: true });
    const choice = await pads.waitForAction(['staff', 'continue', 'cancel'], signal);
    return choice === 'continue' ? pads.readSecret('pin', { triesLeft: 1, lastTry: true, wrong }, signal) : choice;
  };
  const r1 = lastTry(false);
  const warn = await waitForScreen(() => ui.layout, 'pin-warning-last-try');
  assert.ok(
    warn.texts.some((t) => t.text.includes('市区町村')),
    'municipal office mentioned',
  );
  await inputOpen(ui); // the warning's input guard: a person reads it first
  touch.tapButton('staff');
  assert.is(await r1, 'staff');

  const r2 = lastTry(true);
  for (let i = 0; i < 400 && ui.inputOpen; i++) await new Promise((r) => setTimeout(r, 5)); // this warning's own guard began
  await waitForScreen(() => ui.layout, 'pin-warning-last-try');
  await inputOpen(ui);
  touch.tapButton('continue');
  const pad = await waitForScreen(() => ui.layout, 'pin', 0);
  const tries = pad.texts.find((t) => t.id === 'tries');
  assert.is(tries?.text, 'あと1回');
  assert.is(tries?.color, ui.layout?.theme.error);
  assert.ok(pad.texts.some((t) => t.text === '正しい暗証番号を入力してください'));
  const cancel = pad.buttons.find((b) => b.id === 'cancel');
  assert.ok(cancel);
  assert.is(hex(display.pixel(cancel.rect.x + 6, cancel.rect.y + 20)), ui.layout?.theme.secondary);
  touch.tapButton('cancel');
  assert.equal(await r2, { kind: 'cancelled' });
  await ui.close();
});

test('waitForAction rejects on abort; presses made before a screen change are dropped', async () => {
  const { ui, touch } = simUi();
  await ui.show('consent', {}, 'en');
  touch.tapButton('all');
  await tick();
  await ui.show('method', {}, 'en');
  const ac = new AbortController();
  const p = ui.waitForAction(ac.signal);
  touch.tapButton('pin');
  assert.equal(await p, { buttonId: 'pin', screen: 'method', source: 'touch' });
  const p2 = ui.waitForAction(ac.signal);
  ac.abort();
  try {
    await p2;
    assert.unreachable();
  } catch (e) {
    assert.is((e as { code?: string }).code, 'CANCELLED');
  }
  touch.tap(1, 1);
  const p3 = ui.waitForAction();
  await ui.close();
  try {
    await p3;
    assert.unreachable();
  } catch (e) {
    assert.is((e as { code?: string }).code, 'CANCELLED', 'closing the screen ends the wait');
  }
});

test.run();
