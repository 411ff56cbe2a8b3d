/**
 * Greyscale pixels → JPEG 2000 in a JP2 container, like the chip photo in DF27, with Debian's
 * opj_compress (libopenjp2-tools). Also a small check that bytes look like a JP2 file.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DeviceUnavailableError } from '../../firmware/core/errors.ts';

const run = promisify(execFile);

/** JP2 signature box: 0000000C 6A502020 0D0A870A (ISO/IEC 15444-1 §I.5.1). */
export const JP2_SIGNATURE = Uint8Array.from([0, 0, 0, 0x0c, 0x6a, 0x50, 0x20, 0x20, 0x0d, 0x0a, 0x87, 0x0a]);

export function isJp2(bytes: Uint8Array): boolean {
  return bytes.length > JP2_SIGNATURE.length && JP2_SIGNATURE.every((b, i) => bytes[i] === b);
}

/** Encodes 8-bit greyscale `pixels` (width × height) with compression ratio `ratio`. */
export async function encodeGreyJp2(pixels: Uint8Array, width: number, height: number, ratio = 12): Promise<Uint8Array> {
  if (pixels.length !== width * height) throw new RangeError(`expected ${width * height} pixels, got ${pixels.length}`);
  const dir = await mkdtemp(join(tmpdir(), 'kaoreader-jp2-'));
  try {
    const pgm = join(dir, 'in.pgm');
    await writeFile(pgm, Buffer.concat([Buffer.from(`P5\n${width} ${height}\n255\n`, 'latin1'), pixels]));
    const out = join(dir, 'out.jp2');
    try {
      await run('opj_compress', ['-i', pgm, '-o', out, '-r', String(ratio)], { timeout: 30_000 });
    } catch (err) {
      throw new DeviceUnavailableError('opj_compress', 'install libopenjp2-tools (scripts/setup.sh)', { cause: err });
    }
    return new Uint8Array(await readFile(out));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
