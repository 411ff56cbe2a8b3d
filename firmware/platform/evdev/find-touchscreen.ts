/**
 * Finds the touch panel among the input devices listed in `/proc/bus/input/devices`: a device
 * with multitouch positions (ABS_MT_POSITION_X/Y), or absolute X/Y with INPUT_PROP_DIRECT (a
 * screen, not a tablet), and an `eventN` handler. The ABS bitmap is printed as longs (one 64-bit
 * word on 64-bit kernels, two 32-bit words on 32-bit ones), most significant first.
 */
import { readFile } from 'node:fs/promises';
import { DeviceUnavailableError } from '../../core/errors.ts';
import { ABS_MT_POSITION_X, ABS_MT_POSITION_Y, ABS_X, ABS_Y } from './input-event.ts';

const INPUT_PROP_DIRECT = 1;

export interface InputDeviceInfo {
  readonly name: string;
  readonly event: string | undefined;
  readonly abs: bigint;
  readonly prop: bigint;
}

function bitmap(words: string | undefined): bigint {
  if (!words) return 0n;
  const parts = words.trim().split(/\s+/).filter(Boolean);
  const width = parts.some((p) => p.length > 8) || parts.length === 1 ? 64n : 32n;
  let v = 0n;
  for (const p of parts.slice(0, 8)) v = (v << width) | BigInt(`0x${/^[0-9a-f]+$/i.test(p) ? p : '0'}`);
  return v;
}

export function parseInputDevices(text: string): InputDeviceInfo[] {
  return text
    .split(/\n\s*\n/)
    .slice(0, 256)
    .map((block) => {
      const line = (prefix: string): string | undefined =>
        block
          .split('\n')
          .find((l) => l.startsWith(prefix))
          ?.slice(prefix.length);
      return {
        name: /^"?(.*?)"?$/.exec(line('N: Name=') ?? '')?.[1] ?? '',
        event: /\b(event\d+)\b/.exec(line('H: Handlers=') ?? '')?.[1],
        abs: bitmap(line('B: ABS=')),
        prop: bitmap(line('B: PROP=')),
      };
    })
    .filter((d) => d.name !== '' || d.event !== undefined);
}

const has = (map: bigint, bit: number): boolean => ((map >> BigInt(bit)) & 1n) === 1n;

export function isTouchscreen(d: InputDeviceInfo): boolean {
  if (!d.event) return false;
  if (has(d.abs, ABS_MT_POSITION_X) && has(d.abs, ABS_MT_POSITION_Y)) return true;
  return has(d.abs, ABS_X) && has(d.abs, ABS_Y) && has(d.prop, INPUT_PROP_DIRECT);
}

/** `/dev/input/eventN` of the first touchscreen, or undefined when there is none. */
export async function findTouchscreen(devicesFile = '/proc/bus/input/devices'): Promise<string | undefined> {
  let text: string;
  try {
    text = await readFile(devicesFile, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined; // no input subsystem (container, CI)
    throw new DeviceUnavailableError(devicesFile, 'cannot read the input device list', { cause: err });
  }
  const d = parseInputDevices(text).find(isTouchscreen);
  return d?.event ? `/dev/input/${d.event}` : undefined;
}
