/**
 * The one place that loads node-hid (a native module), lazily, so unit tests and machines
 * without a keypad never load the .node binary. Exposes only what the keypad driver needs.
 */
import type * as NodeHid from 'node-hid';
import { DeviceUnavailableError } from '../../core/errors.ts';

/** The part of a node-hid device the keypad driver uses (HID reports as 'data' events). */
export interface HidDevice {
  on(event: 'data', listener: (report: Buffer) => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
  close(): void;
}

export interface HidDeviceInfo {
  readonly vendorId: number;
  readonly productId: number;
  readonly path?: string | undefined;
  readonly product?: string | undefined;
}

export interface HidBackend {
  devices(): HidDeviceInfo[];
  open(path: string): HidDevice;
}

export async function loadNodeHid(): Promise<HidBackend> {
  let mod: typeof NodeHid;
  try {
    mod = await import('node-hid');
  } catch (err) {
    throw new DeviceUnavailableError('node-hid', 'run "npm ci" so the native module is built for this machine', { cause: err });
  }
  return {
    devices: () => mod.devices().map((d) => ({ vendorId: d.vendorId, productId: d.productId, path: d.path, product: d.product })),
    open: (path) => new mod.HID(path) as unknown as HidDevice,
  };
}
