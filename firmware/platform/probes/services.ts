/** Probes for services: pcscd and its readers, the MQTT broker, HID keypads. Native modules load lazily. */
import { access } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { connect } from 'node:net';
import { loadPcsclite, type NativeContext } from '../pcsc/binding.ts';
import { result, type Probe } from './probe.ts';

const require = createRequire(import.meta.url);
export const PCSCD_SOCKET = process.env['PCSCLITE_CSOCK_NAME'] ?? '/run/pcscd/pcscd.comm';

export function pcscProbe(socketPath = PCSCD_SOCKET, waitMs = 1500): Probe {
  return {
    name: 'pc/sc',
    async run(signal) {
      try {
        await access(socketPath);
      } catch {
        return result('pc/sc', 'missing', `pcscd is not running (no ${socketPath}): start it with "pcscd" or "systemctl start pcscd"`);
      }
      // pcsclite emits 'reader' once per reader it finds; there is no list call. Each reader
      // runs a status thread that keeps the process alive until that reader is closed.
      type Reader = { name: string; close(): void; on(ev: string, fn: (arg: unknown) => void): void };
      let pcsc: NativeContext;
      try {
        pcsc = loadPcsclite()();
      } catch (err) {
        return result(
          'pc/sc',
          'error',
          `pcsclite binding did not load (${(err as Error).message}): run "npm ci" with libpcsclite-dev installed`,
        );
      }
      const readers: Reader[] = [];
      const cards: string[] = [];
      let failure = '';
      pcsc.on('reader', (arg: unknown) => {
        const r = arg as Reader;
        readers.push(r);
        r.on('error', () => undefined);
        r.on('status', (st) => {
          const state = (st as { state?: number }).state ?? 0;
          if ((state & 0x20) !== 0 && !cards.includes(r.name)) cards.push(r.name); // SCARD_STATE_PRESENT
        });
      });
      pcsc.on('error', (e: unknown) => {
        failure = e instanceof Error ? e.message : String(e);
      });
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, waitMs);
        signal.addEventListener(
          'abort',
          () => {
            clearTimeout(t);
            resolve();
          },
          { once: true },
        );
      });
      for (const r of readers) r.close();
      pcsc.close();
      if (failure) return result('pc/sc', 'error', `pcscd answered with an error: ${failure}`);
      return readers.length
        ? result('pc/sc', 'ok', `readers: ${readers.map((r) => `${r.name}${cards.includes(r.name) ? ' (card present)' : ''}`).join(', ')}`)
        : result('pc/sc', 'missing', 'pcscd runs but sees no reader: plug in the card reader (or start "kaoreader sim card --vpcd")');
    },
  };
}

export function brokerProbe(url: string | undefined, timeoutMs = 2000): Probe {
  return {
    name: 'broker',
    async run() {
      if (!url) return result('broker', 'missing', 'no facility.brokerUrl configured: pair the reader with "kaoreader facility pair"');
      let host: string;
      let port: number;
      try {
        const u = new URL(url);
        host = u.hostname;
        port = Number(u.port) || (u.protocol === 'mqtts:' || u.protocol === 'tls:' ? 8883 : 1883);
      } catch {
        return result('broker', 'error', `facility.brokerUrl is not a URL: ${url}`);
      }
      return new Promise((resolve) => {
        const sock = connect({ host, port });
        const done = (status: 'ok' | 'error', detail: string): void => {
          sock.destroy();
          resolve(result('broker', status, detail));
        };
        sock.setTimeout(timeoutMs, () =>
          done('error', `${host}:${port} did not answer within ${timeoutMs} ms: check the network and the broker`),
        );
        sock.on('connect', () => done('ok', `${host}:${port} reachable`));
        sock.on('error', (e) =>
          done('error', `${host}:${port} unreachable (${(e as NodeJS.ErrnoException).code ?? e.message}): is mosquitto running?`),
        );
      });
    },
  };
}

export function hidKeypadProbe(vendorId?: number, productId?: number): Probe {
  return {
    name: 'keypad',
    async run() {
      type HidInfo = { vendorId: number; productId: number; product?: string; usagePage?: number; usage?: number; path?: string };
      let devices: HidInfo[];
      try {
        devices = (require('node-hid') as { devices(): HidInfo[] }).devices();
      } catch (err) {
        return result('keypad', 'error', `node-hid did not load (${(err as Error).message})`);
      }
      const wanted = (d: (typeof devices)[number]): boolean =>
        vendorId !== undefined
          ? d.vendorId === vendorId && (productId === undefined || d.productId === productId)
          : d.usagePage === 1 && d.usage === 6;
      const keypads = devices.filter(wanted);
      return keypads.length
        ? result(
            'keypad',
            'ok',
            keypads.map((d) => `${d.product ?? 'HID'} ${d.vendorId.toString(16)}:${d.productId.toString(16)}`).join(', '),
          )
        : result('keypad', 'missing', 'no USB HID keypad: the touchscreen PIN pad is used');
    },
  };
}
