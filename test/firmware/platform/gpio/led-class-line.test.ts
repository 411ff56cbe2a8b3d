/** Status LEDs and buzzer through the kernel LED class, on a sysfs-shaped folder (real file writes). */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sinon from 'sinon';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createLogger, MemorySink } from '../../../../firmware/core/logger.ts';
import { LedClassLine } from '../../../../firmware/platform/gpio/led-class-line.ts';
import { LineGpio } from '../../../../firmware/platform/gpio/line-gpio.ts';
import { systemClock } from '../../../../firmware/platform/system-clock.ts';

function leds(names: readonly string[], max = '255'): string {
  const dir = mkdtempSync(join(tmpdir(), 'kao-leds-'));
  for (const n of names) {
    mkdirSync(join(dir, n));
    writeFileSync(join(dir, n, 'max_brightness'), `${max}\n`);
    writeFileSync(join(dir, n, 'brightness'), '0\n');
  }
  return dir;
}

const read = (dir: string, n: string): string => readFileSync(join(dir, n, 'brightness'), 'utf8');

test('colours, blinking on the clock and beeps write the brightness files; close turns all off', async () => {
  const dir = leds(['kaoreader-green', 'kaoreader-red', 'kaoreader-buzzer']);
  const sink = new MemorySink();
  const log = createLogger({ sink, level: 'debug' });
  const clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  try {
    const g = new LineGpio(
      {
        green: new LedClassLine('kaoreader-green', log, dir),
        red: new LedClassLine('kaoreader-red', log, dir),
        buzzer: new LedClassLine('kaoreader-buzzer', log, dir),
      },
      systemClock,
    );
    assert.equal(g.names, ['led-class:kaoreader-green', 'led-class:kaoreader-red', 'led-class:kaoreader-buzzer']);
    g.setLed('green');
    assert.equal([read(dir, 'kaoreader-green'), read(dir, 'kaoreader-red')], ['255', '0']);
    g.setLed('amber', 'blink');
    assert.equal([read(dir, 'kaoreader-green'), read(dir, 'kaoreader-red')], ['255', '255']);
    clock.tick(500);
    assert.equal([read(dir, 'kaoreader-green'), read(dir, 'kaoreader-red')], ['0', '0']);
    clock.tick(500);
    assert.equal([read(dir, 'kaoreader-green'), read(dir, 'kaoreader-red')], ['255', '255']);
    g.beep('error');
    assert.is(read(dir, 'kaoreader-buzzer'), '255');
    clock.tick(400);
    assert.is(read(dir, 'kaoreader-buzzer'), '0');
    await g.close();
    assert.equal([read(dir, 'kaoreader-green'), read(dir, 'kaoreader-red'), read(dir, 'kaoreader-buzzer')], ['0', '0', '0']);
  } finally {
    clock.restore();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a single-level LED is lit with its max_brightness (1)', () => {
  const dir = leds(['kaoreader-green'], '1');
  const line = new LedClassLine('kaoreader-green', createLogger({ sink: new MemorySink(), level: 'error' }), dir);
  line.set(true);
  assert.is(read(dir, 'kaoreader-green'), '1');
  rmSync(dir, { recursive: true, force: true });
});

test('an absent LED refuses to open; a failing write never throws and is logged once', () => {
  const dir = leds(['kaoreader-green']);
  const sink = new MemorySink();
  const log = createLogger({ sink, level: 'debug' });
  assert.throws(() => new LedClassLine('kaoreader-red', log, dir));
  const line = new LedClassLine('kaoreader-green', log, dir);
  rmSync(join(dir, 'kaoreader-green'), { recursive: true });
  line.set(true);
  line.set(false);
  assert.is(sink.lines.filter((l) => l.includes('LED write failed')).length, 1);
  rmSync(dir, { recursive: true, force: true });
});

test.run();
