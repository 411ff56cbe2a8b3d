/**
 * Reads a Linux framebuffer's geometry from sysfs (`/sys/class/graphics/fbN`): the visible mode
 * (`modes`, e.g. "U:1024x600p-0", falling back to `virtual_size` "1024,600"), `bits_per_pixel`
 * and `stride`. sysfs does not expose the channel offsets: 16 bpp is RGB565, 24 is RGB888 and
 * 32 is XRGB8888 unless the configuration names another layout (e.g. XBGR8888).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DeviceUnavailableError, KaoreaderError } from '../../core/errors.ts';
import type { DisplayGeometry, FramebufferFormat } from '../../ports/display.ts';

export class FramebufferGeometryError extends KaoreaderError {
  readonly code = 'FB_GEOMETRY';
}

async function attr(dir: string, name: string): Promise<string | undefined> {
  try {
    return (await readFile(join(dir, name), 'utf8')).trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new DeviceUnavailableError(`framebuffer sysfs ${join(dir, name)}`, 'check the fbdev driver is loaded', { cause: err });
  }
}

function positiveInt(v: string | undefined, what: string, max: number): number {
  const n = Number(v);
  if (!v || !Number.isInteger(n) || n <= 0 || n > max) throw new FramebufferGeometryError(`framebuffer ${what} is "${v ?? '(missing)'}"`);
  return n;
}

export function formatForDepth(bpp: number, override?: FramebufferFormat): FramebufferFormat {
  if (override) {
    const want = override === 'RGB565' ? 16 : override === 'RGB888' ? 24 : 32;
    if (want !== bpp) throw new FramebufferGeometryError(`configured format ${override} needs ${want} bpp, the framebuffer has ${bpp}`);
    return override;
  }
  switch (bpp) {
    case 16:
      return 'RGB565';
    case 24:
      return 'RGB888';
    case 32:
      return 'XRGB8888';
    default:
      throw new FramebufferGeometryError(`unsupported framebuffer depth ${bpp} bpp`);
  }
}

export async function readFbGeometry(sysfsDir: string, override?: FramebufferFormat): Promise<DisplayGeometry> {
  const bpp = positiveInt(await attr(sysfsDir, 'bits_per_pixel'), 'bits_per_pixel', 64);
  const format = formatForDepth(bpp, override);
  const mode = /(\d+)x(\d+)/.exec((await attr(sysfsDir, 'modes'))?.split('\n')[0] ?? '');
  const virt = (await attr(sysfsDir, 'virtual_size'))?.split(',');
  const width = positiveInt(mode?.[1] ?? virt?.[0], 'width', 16384);
  const height = positiveInt(mode?.[2] ?? virt?.[1], 'height', 16384);
  const strideText = await attr(sysfsDir, 'stride');
  const stride = strideText === undefined ? width * (bpp / 8) : positiveInt(strideText, 'stride', 1 << 20);
  if (stride < width * (bpp / 8))
    throw new FramebufferGeometryError(`framebuffer stride ${stride} is shorter than ${width} pixels at ${bpp} bpp`);
  return { width, height, stride, format };
}
