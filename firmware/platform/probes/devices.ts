/** Probes for devices: cameras (V4L2 and libcamera), framebuffers, touch panels, GPIO. */
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import type { GpioConfig } from '../../config/sections/hardware.ts';
import { chooseGpioDriver, gpioFacts, SYSTEM_GPIO_PATHS, type GpioPaths } from '../gpio/gpio-facts.ts';
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

async function run(cmd: string, args: readonly string[], timeoutMs: number): Promise<{ ok: boolean; absent: boolean; out: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: timeoutMs, killSignal: 'SIGKILL' }, (err, stdout, stderr) => {
      resolve({ ok: !err, absent: (err as NodeJS.ErrnoException | null)?.code === 'ENOENT', out: `${stdout}${stderr}` });
    });
  });
}

/** Cameras libcamera sees (`rpicam-vid --list-cameras`: "0 : imx708 [4608x2592 …] (…)"). */
export function parseCameraList(text: string): string[] {
  return [...text.matchAll(/^\s*(\d+)\s*:\s*(\S+)\s*(\[[^\]]*\])?/gm)].map((m) => `${m[1]}: ${m[2]}${m[3] ? ` ${m[3]}` : ''}`);
}

/** Both camera paths: V4L2 devices and libcamera's camera modules; says which one is configured. */
export function cameraProbe(
  source: 'v4l2' | 'libcamera' = 'v4l2',
  devDir = '/dev',
  sysDir = '/sys/class/video4linux',
  rpicam = 'rpicam-vid',
): Probe {
  return {
    name: 'camera',
    async run() {
      const nodes = await list(devDir, /^video\d+$/);
      const v4l2 =
        nodes.length === 0
          ? 'V4L2: none'
          : `V4L2: ${(await Promise.all(nodes.map(async (n) => `${devDir}/${n} (${(await readText(`${sysDir}/${n}/name`)) ?? 'unknown'})`))).join(', ')}`;
      const listed = await run(rpicam, ['--list-cameras'], 5_000);
      const modules = listed.ok ? parseCameraList(listed.out) : [];
      const libcamera = listed.absent
        ? 'libcamera: rpicam-vid not installed (rpicam-apps)'
        : `libcamera: ${modules.length ? modules.join(', ') : 'no camera module'}`;
      const usable = source === 'v4l2' ? nodes.length > 0 : modules.length > 0;
      const detail = `source ${source} (hardware.camera.source); ${v4l2}; ${libcamera}`;
      return usable
        ? result('camera', 'ok', detail)
        : result('camera', 'missing', `${detail}: connect the camera, set hardware.camera.source, or use hardware.mode: sim`);
    },
  };
}

export function framebufferProbe(devDir = '/dev', sysDir = '/sys/class/graphics'): Probe {
  return {
    name: 'framebuffer',
    async run() {
      const nodes = await list(devDir, /^fb\d+$/);
      if (nodes.length === 0)
        return result(
          'framebuffer',
          'missing',
          `no framebuffer (${devDir}/fb*): attach the touchscreen and enable its driver, or use hardware.mode: sim`,
        );
      const info = await Promise.all(
        nodes.map(async (n) => {
          const size = (await readText(`${sysDir}/${n}/virtual_size`)) ?? '?';
          const bpp = (await readText(`${sysDir}/${n}/bits_per_pixel`)) ?? '?';
          return `${devDir}/${n} ${size.replace(',', 'x')} ${bpp}bpp`;
        }),
      );
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
        : result(
            'touch',
            'missing',
            'no multitouch panel in /proc/bus/input/devices: connect the touchscreen (USB or I2C) or use hardware.mode: sim',
          );
    },
  };
}

/** Which driver the status LEDs and buzzer get on this board (gpio-facts.ts), and why. */
export function gpioProbe(config: GpioConfig, paths: GpioPaths = SYSTEM_GPIO_PATHS): Probe {
  return {
    name: 'gpio',
    async run() {
      const facts = await gpioFacts(paths);
      const choice = chooseGpioDriver(config, facts);
      const detail = `driver ${choice.driver} (hardware.gpio.driver: ${config.driver}): ${choice.why}`;
      return choice.driver === 'none'
        ? result('gpio', 'missing', `${detail}; LEDs and buzzer not driven (docs/raspberry-pi.md "Status LEDs")`)
        : result('gpio', 'ok', detail);
    },
  };
}
