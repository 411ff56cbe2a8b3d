/**
 * What a board offers for the status LEDs and buzzer, and which driver to use:
 *   led-class  the configured LED names exist under /sys/class/leds (kernel-driven, every Pi)
 *   gpiod      GPIO character devices and libgpiod's gpioset (Pi 4, Pi 5, other boards)
 *   rpio       /dev/gpiomem on a BCM2835–BCM2711 (Pi 1–4: rpio's register map; not a Pi 5's RP1)
 *   none       nothing drives them (the state is still kept and reported)
 * Pure choice over gathered facts, so doctor and the composition root decide alike.
 */
import { access, readdir, readFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import type { GpioConfig, GpioDriver } from '../../config/sections/hardware.ts';

export interface GpioFacts {
  /** LED class names present. */
  readonly leds: readonly string[];
  /** /dev/gpiochipN names. */
  readonly gpiochips: readonly string[];
  readonly gpioset: boolean;
  readonly gpiomem: boolean;
  /** /proc/device-tree/compatible entries (`brcm,bcm2712` on a Pi 5). */
  readonly compatible: readonly string[];
}

export interface GpioPaths {
  readonly ledsDir: string;
  readonly devDir: string;
  readonly compatibleFile: string;
  readonly path: string;
}

export const SYSTEM_GPIO_PATHS: GpioPaths = {
  ledsDir: '/sys/class/leds',
  devDir: '/dev',
  compatibleFile: '/proc/device-tree/compatible',
  path: process.env['PATH'] ?? '/usr/bin:/bin',
};

async function names(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

async function onPath(cmd: string, path: string): Promise<boolean> {
  for (const dir of path.split(delimiter).filter(Boolean).slice(0, 64)) {
    try {
      await access(join(dir, cmd));
      return true;
    } catch {
      // not in this directory
    }
  }
  return false;
}

export async function gpioFacts(p: GpioPaths = SYSTEM_GPIO_PATHS): Promise<GpioFacts> {
  const dev = await names(p.devDir);
  let compatible: string[] = [];
  try {
    compatible = (await readFile(p.compatibleFile, 'latin1')).split('\0').filter(Boolean);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  return {
    leds: await names(p.ledsDir),
    gpiochips: dev.filter((n) => /^gpiochip\d+$/.test(n)),
    gpioset: await onPath('gpioset', p.path),
    gpiomem: dev.includes('gpiomem'),
    compatible,
  };
}

/** rpio knows the BCM2835/6/7 and BCM2711 register map only. */
export function rpioWorksOn(compatible: readonly string[]): boolean {
  return compatible.some((c) => /^brcm,bcm(2835|2836|2837|2711)$/.test(c)) && !compatible.includes('brcm,bcm2712');
}

export interface GpioChoice {
  readonly driver: GpioDriver;
  readonly why: string;
}

export function chooseGpioDriver(c: GpioConfig, f: GpioFacts): GpioChoice {
  const pins = [c.ledGreen, c.ledRed, c.buzzer].some((p) => p !== undefined);
  const ledsFound = [c.leds.green, c.leds.red, c.leds.buzzer].filter((n) => f.leds.includes(n));
  const options: Record<GpioDriver, string | undefined> = {
    'led-class': ledsFound.length > 0 ? `LED class ${ledsFound.join(', ')}` : undefined,
    gpiod: pins && f.gpiochips.length > 0 && f.gpioset ? `GPIO character device (${f.gpiochips.join(', ')}) with gpioset` : undefined,
    rpio:
      pins && f.gpiomem && rpioWorksOn(f.compatible)
        ? `rpio on /dev/gpiomem (${f.compatible.find((x) => x.startsWith('brcm,')) ?? '?'})`
        : undefined,
    none: 'no LED or buzzer driven',
  };
  if (c.driver !== 'auto') {
    const why = options[c.driver];
    return why
      ? { driver: c.driver, why }
      : { driver: 'none', why: `${c.driver} was configured but is not usable here (${describeMissing(c.driver, f, pins)})` };
  }
  for (const d of ['led-class', 'gpiod', 'rpio'] as const) {
    const why = options[d];
    if (why) return { driver: d, why };
  }
  return {
    driver: 'none',
    why: pins
      ? `no LED class LEDs (${c.leds.green}…), no usable gpiochip + gpioset, not a Pi 1–4 for rpio`
      : 'no LEDs in /sys/class/leds and no header pins configured',
  };
}

function describeMissing(d: GpioDriver, f: GpioFacts, pins: boolean): string {
  switch (d) {
    case 'led-class':
      return 'none of the configured LED names is in /sys/class/leds';
    case 'gpiod':
      return !pins
        ? 'no header pins configured'
        : f.gpiochips.length === 0
          ? 'no /dev/gpiochip*'
          : 'gpioset is not installed (Debian package gpiod)';
    case 'rpio':
      return !pins
        ? 'no header pins configured'
        : !f.gpiomem
          ? 'no /dev/gpiomem'
          : 'this board is not a BCM2835–BCM2711 (a Pi 5 needs led-class or gpiod)';
    case 'none':
      return '';
  }
}
