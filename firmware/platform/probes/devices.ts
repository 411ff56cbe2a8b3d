/** Probes for device nodes: cameras, framebuffers, touch panels, GPIO. Linux sysfs/procfs only. */
import { readdir, readFile } from 'node:fs/promises';
import { result, type Probe } from './probe.ts';

async function list(dir: string, re: RegExp): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((n) => re.test(n)).sort();
  } catch {
    return [];
  }
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return (await readFile(path, 'utf8')).trim();
  } catch {
    return undefined;
  }
}

export function cameraProbe(devDir = '/dev', sysDir = '/sys/class/video4linux'): Probe {
  return {
    name: 'camera',
    async run() {
      const nodes = await list(devDir, /^video\d+$/);
      if (nodes.length === 0) return result('camera', 'missing', `no V4L2 camera (${devDir}/video*): plug in a UVC camera, or use hardware.mode: sim`);
      const names = await Promise.all(nodes.map(async (n) => `${devDir}/${n} (${(await readText(`${sysDir}/${n}/name`)) ?? 'unknown'})`));
      return result('camera', 'ok', names.join(', '));
    },
  };
}

export function framebufferProbe(devDir = '/dev', sysDir = '/sys/class/graphics'): Probe {
  return {
    name: 'framebuffer',
    async run() {
      const nodes = await list(devDir, /^fb\d+$/);
      if (nodes.length === 0) return result('framebuffer', 'missing', `no framebuffer (${devDir}/fb*): attach the touchscreen and enable its driver, or use hardware.mode: sim`);
      const info = await Promise.all(nodes.map(async (n) => {
        const size = (await readText(`${sysDir}/${n}/virtual_size`)) ?? '?';
        const bpp = (await readText(`${sysDir}/${n}/bits_per_pixel`)) ?? '?';
        return `${devDir}/${n} ${size.replace(',', 'x')} ${bpp}bpp`;
      }));
      return result('framebuffer', 'ok', info.join(', '));
    },
  };
}

/** Input devices that report multitouch positions (ABS_MT_POSITION_X = 0x35). */
export function touchProbe(devicesFile = '/proc/bus/input/devices'): Probe {
  return {
    name: 'touch',
    async run() {
      const text = await readText(devicesFile);
      if (text === undefined) return result('touch', 'missing', `cannot read ${devicesFile}: no input subsystem`);
      const found: string[] = [];
      for (const block of text.split(/\n\s*\n/)) {
        const name = /N: Name="([^"]*)"/.exec(block)?.[1] ?? '?';
        const handler = /H: Handlers=.*?(event\d+)/.exec(block)?.[1];
        const abs = /B: ABS=([0-9a-f ]+)/.exec(block)?.[1];
        if (!handler || !abs) continue;
        const words = abs.trim().split(/\s+/).reverse();
        const word = BigInt(`0x${words[Math.floor(0x35 / 64)] ?? '0'}`);
        if ((word >> BigInt(0x35 % 64)) & 1n) found.push(`/dev/input/${handler} (${name})`);
      }
      return found.length
        ? result('touch', 'ok', found.join(', '))
        : result('touch', 'missing', 'no multitouch panel in /proc/bus/input/devices: connect the touchscreen (USB or I2C) or use hardware.mode: sim');
    },
  };
}

export function gpioProbe(path = '/dev/gpiomem'): Probe {
  return {
    name: 'gpio',
    async run() {
      const nodes = await list('/dev', /^gpiomem$|^gpiochip\d+$/);
      return nodes.length
        ? result('gpio', 'ok', nodes.map((n) => `/dev/${n}`).join(', '))
        : result('gpio', 'missing', `no ${path} or /dev/gpiochip*: not a Raspberry Pi class board; LEDs and buzzer stay simulated`);
    },
  };
}
