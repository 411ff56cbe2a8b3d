/**
 * The framebuffer driver against a fake sysfs directory and a regular file standing in for
 * /dev/fbN: geometry parsed from sysfs, a rendered screen's real bytes written at offset 0 in
 * the device's layout and stride, typed errors for bad geometry, wrong frame sizes and closed devices.
 */
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createLogger, MemorySink } from '../../../../firmware/core/logger.ts';
import { frameToRgba } from '../../../../firmware/display/render/pixel-format.ts';
import { ScreenUi } from '../../../../firmware/display/screen-ui.ts';
import { FbDisplay, FrameLengthError } from '../../../../firmware/platform/fb/fb-display.ts';
import { FramebufferGeometryError, readFbGeometry } from '../../../../firmware/platform/fb/sysfs-geometry.ts';
import { SimTouch } from '../../../../hardware-sim/touch/sim-touch.ts';
import { hex, sharedFonts } from '../../display/helpers.ts';
import { systemClock } from '../../../../firmware/platform/system-clock.ts';

function fakeFb(attrs: Record<string, string>, deviceBytes: number): { sysfs: string; device: string } {
  const dir = mkdtempSync(join(tmpdir(), 'kao-fb-'));
  const sysfs = join(dir, 'sys', 'fb0');
  mkdirSync(sysfs, { recursive: true });
  for (const [k, v] of Object.entries(attrs)) writeFileSync(join(sysfs, k), `${v}\n`);
  const device = join(dir, 'fb0');
  writeFileSync(device, Buffer.alloc(deviceBytes, 0xaa));
  return { sysfs, device };
}

test('geometry from sysfs: visible mode over virtual size, stride with padding, depth → format', async () => {
  const { sysfs } = fakeFb({ modes: 'U:800x480p-59', virtual_size: '800,960', bits_per_pixel: '16', stride: '1664' }, 0);
  assert.equal(await readFbGeometry(sysfs), { width: 800, height: 480, stride: 1664, format: 'RGB565' });
  const b = fakeFb({ virtual_size: '1024,600', bits_per_pixel: '32' }, 0);
  assert.equal(await readFbGeometry(b.sysfs), { width: 1024, height: 600, stride: 4096, format: 'XRGB8888' });
  assert.is((await readFbGeometry(b.sysfs, 'XBGR8888')).format, 'XBGR8888');
  for (const bad of [
    { virtual_size: '1024,600', bits_per_pixel: '8' },
    { virtual_size: 'x', bits_per_pixel: '32' },
    { virtual_size: '1024,600', bits_per_pixel: '16', stride: '100' },
  ] as Record<string, string>[]) {
    const f = fakeFb(bad, 0);
    try {
      await readFbGeometry(f.sysfs);
      assert.unreachable();
    } catch (e) {
      assert.instance(e, FramebufferGeometryError);
    }
  }
  try {
    await readFbGeometry(b.sysfs, 'RGB565');
    assert.unreachable();
  } catch (e) {
    assert.instance(e, FramebufferGeometryError);
  }
});

test('a screen rendered through ScreenUi lands as RGB565 bytes with stride in the device file', async () => {
  const { sysfs, device } = fakeFb({ modes: 'U:800x480p-59', bits_per_pixel: '16', stride: '1664' }, 1664 * 480);
  const display = await FbDisplay.open({ device, sysfs });
  const ui = new ScreenUi({
    display,
    touch: new SimTouch(),
    log: createLogger({ sink: new MemorySink(), level: 'error' }),
    fonts: sharedFonts,
    clock: systemClock,
  });
  const layout = await ui.show('method', {}, 'ja');
  const bytes = readFileSync(device);
  assert.is(bytes.length, 1664 * 480);
  for (let y = 0; y < 480; y += 37)
    assert.equal([...bytes.subarray(y * 1664 + 1600, y * 1664 + 1664)], new Array(64).fill(0), `padding of row ${y} zeroed`);
  const rgba = frameToRgba(bytes, display.geometry);
  const face = layout.buttons.find((b) => b.id === 'face');
  assert.ok(face);
  const i = ((face.rect.y + 10) * 800 + face.rect.x + 6) * 4;
  const [r, g, b] = [rgba.data[i] as number, rgba.data[i + 1] as number, rgba.data[i + 2] as number];
  assert.ok(Math.abs(r - 0x0b) <= 8 && Math.abs(g - 0x6e) <= 4 && Math.abs(b - 0x4f) <= 8, `primary colour ${hex([r, g, b])}`);
  await ui.close();
  await display.close();
});

test('a portrait UI on a landscape panel (rotate 90): the top-left of the screen lands top-right on the panel', async () => {
  const { sysfs, device } = fakeFb({ virtual_size: '1024,600', bits_per_pixel: '32' }, 1024 * 600 * 4);
  const display = await FbDisplay.open({ device, sysfs });
  const ui = new ScreenUi({
    display,
    touch: new SimTouch(),
    log: createLogger({ sink: new MemorySink(), level: 'error' }),
    fonts: sharedFonts,
    clock: systemClock,
    rotate: 90,
  });
  const layout = await ui.show('done', {}, 'en');
  assert.is(layout.width, 600);
  assert.is(layout.height, 1024);
  const rgba = frameToRgba(readFileSync(device), display.geometry);
  const px = (x: number, y: number): string => {
    const i = (y * 1024 + x) * 4;
    return hex([rgba.data[i] as number, rgba.data[i + 1] as number, rgba.data[i + 2] as number]);
  };
  // The tone stripe runs along the logical top edge: on the panel it is the right-hand column.
  assert.is(px(1023, 300), '#0B6E4F');
  assert.is(px(0, 300), '#F4F7FB');
  await ui.close();
  await display.close();
});

test('wrong frame length and a closed device are typed errors; close is idempotent', async () => {
  const { sysfs, device } = fakeFb({ virtual_size: '64,32', bits_per_pixel: '32' }, 64 * 32 * 4);
  const display = await FbDisplay.open({ device, sysfs });
  try {
    await display.show(new Uint8Array(10));
    assert.unreachable();
  } catch (e) {
    assert.instance(e, FrameLengthError);
  }
  await display.show(new Uint8Array(64 * 32 * 4).fill(7));
  assert.ok(readFileSync(device).every((v) => v === 7));
  await display.close();
  await display.close();
  try {
    await display.show(new Uint8Array(64 * 32 * 4));
    assert.unreachable();
  } catch (e) {
    assert.is((e as { code?: string }).code, 'DEVICE_UNAVAILABLE');
  }
  try {
    await FbDisplay.open({ device: join(sysfs, 'nope'), sysfs });
    assert.unreachable();
  } catch (e) {
    assert.is((e as { code?: string }).code, 'DEVICE_UNAVAILABLE');
  }
});

test.run();
