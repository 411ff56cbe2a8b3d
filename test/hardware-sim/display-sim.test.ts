/** The display simulator: taps by button id on the current layout, typed error for absent buttons, PNG capture of real frames. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { NoSuchButtonError } from '../../hardware-sim/touch/sim-touch.ts';
import { simUi } from '../firmware/display/helpers.ts';

test('tap by id presses that button; by coordinates hits what is there; absent ids throw', async () => {
  const { ui, touch } = simUi(600, 1024);
  await ui.show('idle', {}, 'ja');
  let p = ui.waitForAction();
  touch.tapButton('lang-vi');
  assert.equal(await p, { buttonId: 'lang-vi', screen: 'idle', source: 'touch' });
  const en = ui.layout?.buttons.find((b) => b.id === 'lang-en');
  assert.ok(en);
  p = ui.waitForAction();
  touch.tap(en.rect.x + 1, en.rect.y + 1);
  assert.is((await p).buttonId, 'lang-en');
  assert.throws(
    () => touch.tapButton('digit-1'),
    (e: unknown) => e instanceof NoSuchButtonError,
  );
  await ui.close();
});

test('accessibility toggles on idle redraw the screen (larger text, high contrast)', async () => {
  const { ui, touch, display } = simUi();
  const before = await ui.show('idle', {}, 'en');
  const size = before.texts.find((t) => t.id === 'title')?.fontSize ?? 0;
  const p = ui.waitForAction();
  touch.tapButton('a11y-large');
  assert.is((await p).buttonId, 'a11y-large');
  for (let i = 0; i < 2000 && !ui.accessibility.largeText; i++) await new Promise((r) => setTimeout(r, 5));
  for (let i = 0; i < 2000 && (ui.layout?.theme.textScale ?? 1) === 1; i++) await new Promise((r) => setTimeout(r, 5));
  assert.ok((ui.layout?.texts.find((t) => t.id === 'body0')?.fontSize ?? 0) > (before.texts.find((t) => t.id === 'body0')?.fontSize ?? 0));
  assert.ok(size > 0);
  const frames = display.frames;
  await ui.setAccessibility({ highContrast: true });
  assert.is(display.frames, frames + 1);
  await ui.close();
});

test('capturePng writes the frame the panel received', async () => {
  const { ui, display } = simUi(800, 480, 'RGB565');
  await ui.show('done', {}, 'th');
  const file = join(mkdtempSync(join(tmpdir(), 'kao-cap-')), 'done.png');
  await display.capturePng(file);
  const meta = await sharp(readFileSync(file)).metadata();
  assert.is(meta.width, 800);
  assert.is(meta.height, 480);
  await ui.close();
});

test.run();
