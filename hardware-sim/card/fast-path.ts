/**
 * The vpcd fast path. vpcd writes each message's 2-byte length and its payload separately with
 * Nagle on, so every APDU waits for our delayed ACK (~40–50 ms). TCP_NODELAY on our side fixes
 * our writes only. The clean fix without touching pcscd: talk to vpcd on a dedicated loopback
 * address whose route has `quickack 1`, so the kernel ACKs at once on that path only
 * (measured: ~52 ms → ~0.2 ms per APDU). Needs root (iproute2); harmless to repeat.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { DeviceUnavailableError } from '../../firmware/core/errors.ts';

const run = promisify(execFile);

export const FAST_PATH_HOST = '127.0.0.2';

export async function ensureQuickAckRoute(host = FAST_PATH_HOST): Promise<void> {
  try {
    await run(
      'ip',
      ['route', 'replace', 'local', `${host}/32`, 'dev', 'lo', 'table', 'local', 'scope', 'host', 'src', '127.0.0.1', 'quickack', '1'],
      { timeout: 5000 },
    );
  } catch (err) {
    throw new DeviceUnavailableError(`quickack route to ${host}`, 'run as root with iproute2 installed, or use 127.0.0.1 (slow path)', {
      cause: err,
    });
  }
}
