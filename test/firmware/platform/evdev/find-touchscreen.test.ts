/** Finding the touch panel in /proc/bus/input/devices (64- and 32-bit bitmaps, keyboards and mice skipped). */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { findTouchscreen, isTouchscreen, parseInputDevices } from '../../../../firmware/platform/evdev/find-touchscreen.ts';

const DEVICES = `I: Bus=0011 Vendor=0001 Product=0001 Version=ab41
N: Name="AT Translated Set 2 keyboard"
H: Handlers=sysrq kbd event0 leds
B: PROP=0
B: EV=120013
B: KEY=402000000 3803078f800d001 feffffdfffefffff fffffffffffffffe

I: Bus=0003 Vendor=046d Product=c077 Version=0111
N: Name="Logitech USB Optical Mouse"
H: Handlers=mouse0 event1
B: PROP=0
B: EV=17
B: REL=903

I: Bus=0018 Vendor=0000 Product=0000 Version=0000
N: Name="generic ft5x06 (11)"
H: Handlers=mouse1 event2
B: PROP=2
B: EV=b
B: KEY=400 0 0 0 0 0 0 0 0 0 0
B: ABS=2608000 3
`;

test('the multitouch panel is found; keyboard and mouse are not touchscreens', async () => {
  const devs = parseInputDevices(DEVICES);
  assert.equal(
    devs.map((d) => d.event),
    ['event0', 'event1', 'event2'],
  );
  assert.equal(devs.map(isTouchscreen), [false, false, true]);
  const dir = mkdtempSync(join(tmpdir(), 'kao-input-'));
  writeFileSync(join(dir, 'devices'), DEVICES);
  assert.is(await findTouchscreen(join(dir, 'devices')), '/dev/input/event2');
  assert.is(await findTouchscreen(join(dir, 'missing')), undefined);
});

test('a 64-bit kernel prints ABS as one word; single-touch screens need INPUT_PROP_DIRECT', () => {
  const mt64 = parseInputDevices('N: Name="eGalax"\nH: Handlers=event5\nB: PROP=2\nB: ABS=661800011000003\n');
  assert.ok(isTouchscreen(mt64[0] as (typeof mt64)[number]));
  const tablet = parseInputDevices('N: Name="Wacom"\nH: Handlers=event6\nB: PROP=0\nB: ABS=3\n');
  assert.not.ok(isTouchscreen(tablet[0] as (typeof tablet)[number]));
  const st = parseInputDevices('N: Name="ADS7846 Touchscreen"\nH: Handlers=event7\nB: PROP=2\nB: ABS=1000003\n');
  assert.ok(isTouchscreen(st[0] as (typeof st)[number]));
});

test.run();
