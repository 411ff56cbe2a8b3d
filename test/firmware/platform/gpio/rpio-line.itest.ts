/** Status LEDs and buzzer on rpio lines, against the real rpio addon in its Raspberry Pi 3 mock mode (no GPIO here). */
import sinon from 'sinon';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MemorySink, createLogger } from '../../../../firmware/core/logger.ts';
import { loadRpio } from '../../../../firmware/platform/gpio/rpio-binding.ts';
import { LineGpio } from '../../../../firmware/platform/gpio/line-gpio.ts';
import { RpioLine } from '../../../../firmware/platform/gpio/rpio-line.ts';
import { systemClock } from '../../../../firmware/platform/system-clock.ts';

const rpio = loadRpio();
rpio.init({ mock: 'raspi-3', mapping: 'physical' });
const log = createLogger({ sink: new MemorySink(), level: 'error' });

test('LED colours drive the right pins; amber lights both; blink toggles on the clock', () => {
  const clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  try {
    const g = new LineGpio(
      { green: new RpioLine(rpio, 11, log), red: new RpioLine(rpio, 13, log), buzzer: new RpioLine(rpio, 15, log) },
      systemClock,
    );
    g.setLed('green');
    assert.equal([rpio.read(11), rpio.read(13)], [1, 0]);
    g.setLed('amber', 'blink');
    assert.equal([rpio.read(11), rpio.read(13)], [1, 1]);
    clock.tick(500);
    assert.equal([rpio.read(11), rpio.read(13)], [0, 0]);
    clock.tick(500);
    assert.equal([rpio.read(11), rpio.read(13)], [1, 1]);
    g.setLed('red');
    clock.tick(2000);
    assert.equal([rpio.read(11), rpio.read(13)], [0, 1]);
    g.beep('error');
    assert.is(rpio.read(15), 1);
    clock.tick(400);
    assert.is(rpio.read(15), 0);
    assert.equal(g.state(), { led: 'red', pattern: 'steady', beeps: 1 });
    void g.close();
    assert.equal([rpio.read(11), rpio.read(13)], [0, 0]);
  } finally {
    clock.restore();
  }
});

test('unconfigured pins are not driven and never throw', () => {
  const g = new LineGpio({}, systemClock);
  g.setLed('green', 'steady');
  g.beep('ok');
  assert.is(g.state().led, 'green');
  void g.close();
});

test.run();
