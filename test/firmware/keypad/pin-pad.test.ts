/**
 * PIN pad: CSPRNG shuffles that are permutations and differ between displays, a PIN Buffer that
 * is zeroized, the whole entry driven by touch and by the HID-style keypad, tries left and the
 * last-try warning, and no digit ever reaching the log.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SecretBag } from '../../../firmware/core/secret.ts';
import { readPin } from '../../../firmware/keypad/pin-entry.ts';
import { PinPad, shuffledDigits } from '../../../firmware/core/pin-pad.ts';
import { isPermutationOfDigits } from '../../../firmware/display/layout/templates/pinpad.ts';
import type { Layout } from '../../../firmware/display/layout/types.ts';
import { hex, simUi, tick } from '../display/helpers.ts';

const digitOrderOf = (l: Layout): number[] =>
  l.buttons.filter((b) => b.id.startsWith('digit-')).sort((a, b) => a.rect.y - b.rect.y || a.rect.x - b.rect.x).map((b) => Number(b.id.slice(6)));

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

test('shuffles are permutations of 0–9 and differ from each other', () => {
  const seen = new Set<string>();
  const firstPos = new Array(10).fill(0) as number[];
  for (let i = 0; i < 2000; i++) {
    const d = shuffledDigits();
    assert.ok(isPermutationOfDigits(d));
    seen.add(d.join(''));
    firstPos[d[0] as number] = (firstPos[d[0] as number] ?? 0) + 1;
  }
  assert.ok(seen.size > 1990, `distinct orders: ${seen.size}`);
  for (const c of firstPos) assert.ok(c > 120 && c < 290, `each digit leads about 1/10 of the time: ${firstPos.join(',')}`);
});

test('PinPad: masked count, take() gives a copy and zeroizes the pad, bad digits ignored', () => {
  const pad = new PinPad(4);
  assert.not.ok(pad.press(10));
  for (const d of [1, 9, 8, 4]) assert.ok(pad.press(d));
  assert.not.ok(pad.press(5), 'full');
  assert.is(pad.entered, 4);
  const pin = pad.take();
  assert.is(pin.toString('ascii'), '1984');
  assert.is(pad.entered, 0);
  pin.fill(0);
  pad.press(7);
  pad.clear();
  assert.is(pad.take().length, 0);
});

test('touch: the pad is reshuffled on every display, digits hit by position, PIN returned and wiped with the bag', async () => {
  const { ui, touch, sink } = simUi();
  const orders: string[] = [];
  for (let round = 0; round < 2; round++) {
    const bag = new SecretBag();
    const result = readPin(ui, { lang: 'ja', triesLeft: 3, bag });
    let layout = await waitForScreen(() => ui.layout, 'pin', 0);
    const order = digitOrderOf(layout);
    assert.ok(isPermutationOfDigits(order));
    orders.push(order.join(''));
    assert.ok(layout.texts.some((t) => t.text === 'あと3回'), 'tries left shown before entry');
    for (const [i, d] of [2, 0, 2, 6].entries()) {
      layout = await waitForScreen(() => ui.layout, 'pin', i);
      touch.tapButton(`digit-${d}`);
      await tick();
    }
    const r = await result;
    assert.is(r.kind, 'pin');
    if (r.kind !== 'pin') return;
    assert.is(r.pin.toString('ascii'), '2026');
    assert.is(bag.size, 1);
    bag.wipeAll();
    assert.ok(r.pin.every((b) => b === 0), 'zeroized by the bag');
  }
  assert.is.not(orders[0], orders[1], 'reshuffled between displays');
  const log = sink.lines.join('\n');
  assert.not.match(log, 'digit-');
  assert.not.match(log, '2026');
  await ui.close();
});

test('HID keypad feeds the same pad; clear resets the mask; cancel returns cancel', async () => {
  const { ui, keypad, display } = simUi(1024, 600, 'RGB565');
  const result = readPin(ui, { lang: 'en', triesLeft: 2 });
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
  assert.equal(await result, { kind: 'cancel' });
  assert.ok(display.frames >= 4, 'each press redrew the pad');
  await ui.close();
});

test('last try: a warning first (staff or continue), tries text in the error colour', async () => {
  const { ui, touch, display } = simUi();
  const r1 = readPin(ui, { lang: 'ja', triesLeft: 1 });
  const warn = await waitForScreen(() => ui.layout, 'pin-warning-last-try');
  assert.ok(warn.texts.some((t) => t.text.includes('市区町村')), 'municipal office mentioned');
  await inputOpen(ui); // the warning's input guard: a person reads it first
  touch.tapButton('staff');
  assert.equal(await r1, { kind: 'staff' });

  const r2 = readPin(ui, { lang: 'ja', triesLeft: 1, wrong: true });
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
  assert.equal(await r2, { kind: 'cancel' });
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
  try { await p2; assert.unreachable(); } catch (e) { assert.is((e as { code?: string }).code, 'CANCELLED'); }
  touch.tap(1, 1);
  const p3 = ui.waitForAction();
  await ui.close();
  try { await p3; assert.unreachable(); } catch (e) { assert.is((e as { code?: string }).code, 'CANCELLED', 'closing the screen ends the wait'); }
});

test.run();
