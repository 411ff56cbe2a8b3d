/**
 * The machine an ELF file was built for (its header's e_machine), so a release never ships a
 * binary for the wrong CPU: a native addon, a shared library or the runtime itself.
 */
import { open } from 'node:fs/promises';
import type { Arch } from './manifest.ts';

const MACHINE: Readonly<Record<number, Arch>> = { 0x3e: 'linux-x64', 0xb7: 'linux-arm64' };

/** The release arch of an ELF file, 'other' for another machine, undefined when it is not ELF. */
export async function elfArch(path: string): Promise<Arch | 'other' | undefined> {
  const fd = await open(path, 'r');
  try {
    const h = Buffer.alloc(20);
    const { bytesRead } = await fd.read(h, 0, 20, 0);
    if (bytesRead < 20 || h.readUInt32BE(0) !== 0x7f454c46) return undefined;
    const littleEndian = h[5] === 1;
    const machine = littleEndian ? h.readUInt16LE(18) : h.readUInt16BE(18);
    return MACHINE[machine] ?? 'other';
  } finally {
    await fd.close();
  }
}
