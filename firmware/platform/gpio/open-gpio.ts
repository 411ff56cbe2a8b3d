/**
 * Opens the status LEDs and buzzer on the driver gpio-facts.ts chooses (composition root only:
 * rpio, a native addon, is loaded here lazily and only when it is the choice).
 */
import type { GpioConfig } from '../../config/sections/hardware.ts';
import type { Logger } from '../../core/logger.ts';
import type { Clock } from '../../ports/clock.ts';
import { chooseGpioDriver, gpioFacts, SYSTEM_GPIO_PATHS, type GpioChoice, type GpioPaths } from './gpio-facts.ts';
import { GpiodLine, resolveGpiodLine } from './gpiod-line.ts';
import { bcmOfPin } from './header-pins.ts';
import { LedClassLine } from './led-class-line.ts';
import { LineGpio } from './line-gpio.ts';
import type { OutputLine, OutputLines } from './output-line.ts';
import { RpioLine } from './rpio-line.ts';

export interface OpenedGpio {
  readonly gpio: LineGpio;
  readonly choice: GpioChoice;
}

type Which = 'green' | 'red' | 'buzzer';
const PIN_OF: Record<Which, 'ledGreen' | 'ledRed' | 'buzzer'> = { green: 'ledGreen', red: 'ledRed', buzzer: 'buzzer' };

export async function openGpio(c: GpioConfig, clock: Clock, log: Logger, paths: GpioPaths = SYSTEM_GPIO_PATHS): Promise<OpenedGpio> {
  const facts = await gpioFacts(paths);
  const choice = chooseGpioDriver(c, facts);
  const lines: Partial<Record<Which, OutputLine>> = {};
  const each = async (make: (w: Which) => Promise<OutputLine | undefined>): Promise<void> => {
    for (const w of ['green', 'red', 'buzzer'] as const) lines[w] = await make(w);
  };
  switch (choice.driver) {
    case 'led-class':
      await each((w) => Promise.resolve(facts.leds.includes(c.leds[w]) ? new LedClassLine(c.leds[w], log, paths.ledsDir) : undefined));
      break;
    case 'gpiod':
      await each(async (w) => {
        const bcm = bcmOfPin(c[PIN_OF[w]] ?? 0);
        if (bcm === undefined) return undefined;
        const name = `GPIO${bcm}`;
        return new GpiodLine(name, await resolveGpiodLine(name), log);
      });
      break;
    case 'rpio': {
      const { loadRpio } = await import('./rpio-binding.ts');
      const rpio = loadRpio();
      rpio.init({ gpiomem: true, mapping: 'physical' });
      await each((w) => {
        const pin = c[PIN_OF[w]];
        return Promise.resolve(pin === undefined ? undefined : new RpioLine(rpio, pin, log));
      });
      break;
    }
    case 'none':
      break;
  }
  log.info('gpio', { driver: choice.driver, why: choice.why });
  return { gpio: new LineGpio(lines as OutputLines, clock), choice };
}
