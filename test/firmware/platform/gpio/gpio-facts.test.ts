/** Which GPIO driver a board gets (gpio-facts.ts): facts read from a board-shaped folder, and the choice. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { GpioConfig } from '../../../../firmware/config/sections/hardware.ts';
import { chooseGpioDriver, gpioFacts, rpioWorksOn, type GpioFacts } from '../../../../firmware/platform/gpio/gpio-facts.ts';

const cfg = (over: Partial<GpioConfig> = {}): GpioConfig => ({
  driver: 'auto',
  ledGreen: 11,
  ledRed: 13,
  buzzer: 15,
  leds: { green: 'kaoreader-green', red: 'kaoreader-red', buzzer: 'kaoreader-buzzer' },
  ...over,
});
const PI5: GpioFacts = {
  leds: ['ACT', 'PWR'],
  gpiochips: ['gpiochip0', 'gpiochip4'],
  gpioset: true,
  gpiomem: false,
  compatible: ['raspberrypi,5-model-b', 'brcm,bcm2712'],
};
const PI4: GpioFacts = {
  leds: ['ACT', 'PWR'],
  gpiochips: ['gpiochip0', 'gpiochip1'],
  gpioset: false,
  gpiomem: true,
  compatible: ['raspberrypi,4-model-b', 'brcm,bcm2711'],
};

test('a Pi 5 never gets rpio: gpiod when gpioset is there, else nothing', () => {
  assert.is(rpioWorksOn(PI5.compatible), false);
  assert.is(chooseGpioDriver(cfg(), PI5).driver, 'gpiod');
  assert.is(chooseGpioDriver(cfg(), { ...PI5, gpioset: false, gpiomem: true }).driver, 'none');
  const forced = chooseGpioDriver(cfg({ driver: 'rpio' }), { ...PI5, gpiomem: true });
  assert.is(forced.driver, 'none');
  assert.match(forced.why, /not a BCM2835–BCM2711/);
});

test('LED class LEDs win wherever they exist; a Pi 4 without gpioset falls back to rpio', () => {
  assert.is(chooseGpioDriver(cfg(), { ...PI5, leds: ['ACT', 'kaoreader-green', 'kaoreader-red'] }).driver, 'led-class');
  assert.is(chooseGpioDriver(cfg(), PI4).driver, 'rpio');
  assert.is(chooseGpioDriver(cfg(), { ...PI4, gpioset: true }).driver, 'gpiod');
  assert.is(
    chooseGpioDriver(cfg({ ledGreen: undefined, ledRed: undefined, buzzer: undefined }), PI4).driver,
    'none',
    'no pins, no LEDs: nothing to drive',
  );
  assert.match(chooseGpioDriver(cfg({ driver: 'gpiod' }), PI4).why, /gpioset is not installed/);
});

test('facts are read from the LED class, /dev and the device tree', async () => {
  const root = mkdtempSync(join(tmpdir(), 'kao-board-'));
  for (const d of ['leds/kaoreader-green', 'dev', 'bin']) mkdirSync(join(root, d), { recursive: true });
  for (const n of ['gpiochip0', 'gpiochip4', 'null']) writeFileSync(join(root, 'dev', n), '');
  writeFileSync(join(root, 'compatible'), 'raspberrypi,5-model-b\0brcm,bcm2712\0');
  writeFileSync(join(root, 'bin', 'gpioset'), '');
  const f = await gpioFacts({
    ledsDir: join(root, 'leds'),
    devDir: join(root, 'dev'),
    compatibleFile: join(root, 'compatible'),
    path: join(root, 'bin'),
  });
  assert.equal(f, {
    leds: ['kaoreader-green'],
    gpiochips: ['gpiochip0', 'gpiochip4'],
    gpioset: true,
    gpiomem: false,
    compatible: ['raspberrypi,5-model-b', 'brcm,bcm2712'],
  });
  const none = await gpioFacts({
    ledsDir: join(root, 'nope'),
    devDir: join(root, 'nope'),
    compatibleFile: join(root, 'nope'),
    path: join(root, 'nope'),
  });
  assert.equal(none, { leds: [], gpiochips: [], gpioset: false, gpiomem: false, compatible: [] });
});

test.run();
