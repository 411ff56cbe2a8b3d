/**
 * The visit's screen port on the display: visit screen and button ids mapped both ways, face
 * guidance kinds shown as hints, consent items counted from 1, PIN and staff password entry.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { UnknownScreenError, VisitScreenUi } from '../../../firmware/display/visit-ui.ts';
import { simUi, tick } from './helpers.ts';

const VISIT_SCREENS = ['idle', 'card-reading', 'not-my-number-card', 'card-expired', 'card-unreadable', 'registration-offer', 'registration-done', 'not-registered', 'method', 'face-reading-card', 'face', 'face-failed', 'pin-warning-last-try', 'pin', 'pin-blocked', 'staff-password', 'staff-check', 'staff-done', 'consent-reuse', 'consent', 'consent-item', 'prescription', 'done', 'fallback', 'fallback-mynaportal', 'fallback-notice', 'fallback-declaration', 'timeout', 'cancelled'];

async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 2000 && !cond(); i++) await new Promise((r) => setTimeout(r, 5));
}

test('every visit screen has a display screen and its buttons map both ways', async () => {
  const { ui, touch } = simUi();
  const v = new VisitScreenUi(ui);
  v.setLanguage('ko');
  v.setLanguage('klingon');
  assert.is(v.language, 'ko');
  const params: Record<string, object> = { 'staff-done': { seconds: 30 }, 'consent-item': { item: 'surgery', itemIndex: 0, itemCount: 4 }, 'consent-reuse': { previous: { surgery: true, checkups: false } }, pin: { triesLeft: 3 }, face: { hint: 'too-close' } };
  for (const s of VISIT_SCREENS) await v.show(s, params[s] ?? {});
  try { await v.show('nope'); assert.unreachable(); } catch (e) { assert.instance(e, UnknownScreenError); }
  await v.show('registration-offer');
  const ac = new AbortController();
  let p = v.waitForAction(['register', 'decline'], ac.signal);
  touch.tapButton('later');
  assert.is(await p, 'decline');
  await v.show('idle');
  p = v.waitForAction(['lang:th'], ac.signal);
  touch.tapButton('lang-en');
  await tick();
  touch.tapButton('lang-th');
  assert.is(await p, 'lang:th', 'a button outside `accept` is ignored');
  await v.show('consent-item', { item: 'medication', itemIndex: 2, itemCount: 4 });
  assert.ok(ui.layout?.texts.some((t) => t.text === '3／4'), 'item index shown from 1');
  await v.show('face', { hint: 'several-faces' });
  assert.ok(ui.layout?.texts.some((t) => t.text === '카메라 앞에는 한 분만 서 주세요'));
  const frame = { data: new Uint8Array(32 * 24 * 3).fill(120), width: 32, height: 24, channels: 3 as const };
  const [a, b] = await Promise.all([v.preview(frame), v.preview(frame)]);
  assert.equal([a, b], [true, false], 'a frame arriving during a draw is dropped');
  assert.ok(ui.layout?.texts.some((t) => t.text === '카메라 앞에는 한 분만 서 주세요'), 'the hint stays with the preview');
  await v.show('done');
  assert.is(await v.preview(frame), false, 'no preview outside the face screen');
  await ui.close();
});

test('staff check: the chip photo is decoded by the injected decoder, drawn, and our copy wiped', async () => {
  const { ui, display } = simUi();
  let decoded: Uint8Array | undefined;
  const v = new VisitScreenUi(ui, {
    decodePhoto: (jp2) => {
      assert.equal([...jp2.subarray(0, 4)], [0, 0, 0, 0x0c], 'the JPEG 2000 bytes are passed through');
      decoded = new Uint8Array(30 * 40 * 3).fill(0).map((_, i) => (i % 3 === 2 ? 220 : 10));
      return Promise.resolve({ data: decoded, width: 30, height: 40, channels: 3 });
    },
  });
  await v.show('staff-check', { photo: new Uint8Array([0, 0, 0, 0x0c, 0x6a, 0x50]) });
  const slot = ui.layout?.images.find((s) => s.id === 'photo');
  assert.ok(slot);
  const [r, g, b] = display.pixel(slot.rect.x + 20, slot.rect.y + 20);
  assert.ok(b > 200 && r < 30 && g < 30, 'photo pixels on the panel');
  assert.ok(decoded?.every((x) => x === 0), 'decoded photo wiped after drawing');
  await ui.close();
});

test('readSecret: shuffled PIN (4 digits) and staff password (Enter submits), cancel', async () => {
  const { ui, keypad, touch } = simUi();
  const v = new VisitScreenUi(ui);
  const ac = new AbortController();
  const pin = v.readSecret('pin', { triesLeft: 2, wrong: true }, ac.signal);
  await until(() => ui.layout?.screen === 'pin-pad');
  assert.ok(ui.layout?.texts.some((t) => t.text === '正しい暗証番号を入力してください'));
  keypad.type('4711');
  const r = await pin;
  assert.is(r.kind, 'entered');
  if (r.kind === 'entered') assert.is(Buffer.from(r.value).toString('ascii'), '4711');
  const pw = v.readSecret('password', {}, ac.signal);
  await until(() => ui.layout?.screen === 'staff-password');
  keypad.type('12345');
  await until(() => ui.layout?.dots?.filled === 5);
  touch.tapButton('enter');
  const r2 = await pw;
  assert.ok(r2.kind === 'entered' && Buffer.from(r2.value).toString('ascii') === '12345');
  const c = v.readSecret('password', {}, ac.signal);
  await until(() => ui.layout?.screen === 'staff-password' && ui.layout.dots?.filled === 0);
  touch.tapButton('cancel');
  assert.equal(await c, { kind: 'cancelled' });
  await ui.close();
});

test.run();
