/**
 * Starts a private pcscd for tests and benches, whether or not a system pcscd runs: its own
 * mount namespace binds a temporary folder over /run/pcscd (pcscd 1.9 ignores
 * PCSCLITE_CSOCK_NAME and cleans /run/pcscd on exit, so it must not see the system's), its own
 * reader.conf.d with one vpcd reader on a free port pair, and the client side is pointed at the
 * private socket through PCSCLITE_CSOCK_NAME (`env`, and this process's own environment so the
 * in-process pcsclite binding finds it). libpcsclite reads that variable once per process, so a
 * test that restarts pcscd passes the same `PcscdPlace` again (`planPcscd()` reserves one before
 * the first start). Needs root (unshare, mount). Never leaves its child behind on failure;
 * `stop()` removes the folder.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DeviceUnavailableError } from '../../firmware/core/errors.ts';

export interface PcscdPlace {
  /** The private socket; clients reach it with PCSCLITE_CSOCK_NAME set to it. */
  readonly socket: string;
  /** vpcd's port for reader `Virtual PCD 00 00` (the next port serves `00 01`). */
  readonly vpcdPort: number;
}

export interface Pcscd extends PcscdPlace {
  readonly child: ChildProcess;
  /** Environment for child processes that speak PC/SC (opensc-tool, a CLI under test). */
  readonly env: Readonly<Record<string, string>>;
  stop(): Promise<void>;
}

export const PCSC_SOCKET_ENV = 'PCSCLITE_CSOCK_NAME';
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '0.0.0.0', () => s.close(() => resolve(true)));
  });
}

/** A free pair of ports (vpcd serves two readers on port and port + 1). */
async function freePortPair(): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const port = 36_000 + 2 * Math.floor(Math.random() * 10_000);
    if ((await portFree(port)) && (await portFree(port + 1))) return port;
  }
  throw new DeviceUnavailableError('pcscd', 'no free port pair for vpcd after 50 tries');
}

/** Reserves a socket path and a vpcd port pair, and points this process's PC/SC client at it. */
export async function planPcscd(): Promise<PcscdPlace> {
  const dir = mkdtempSync(join(tmpdir(), 'kaoreader-pcscd-'));
  const place = { socket: join(dir, 'run', 'pcscd.comm'), vpcdPort: await freePortPair() };
  process.env[PCSC_SOCKET_ENV] = place.socket;
  return place;
}

export interface PcscdOptions {
  /** Configure the vpcd reader pair (default); false: a pcscd with no reader at all. */
  readonly vpcdReader?: boolean;
}

export async function startPcscd(place?: PcscdPlace, options: PcscdOptions = {}): Promise<Pcscd> {
  const { socket, vpcdPort } = place ?? (await planPcscd());
  const dir = dirname(dirname(socket));
  const run = join(dir, 'run');
  const conf = join(dir, 'reader.conf.d');
  mkdirSync(run, { recursive: true });
  mkdirSync(conf, { recursive: true });
  const hex = `0x${vpcdPort.toString(16).toUpperCase()}`;
  if (options.vpcdReader !== false)
    writeFileSync(
      join(conf, 'vpcd'),
      [
        'FRIENDLYNAME "Virtual PCD"',
        `DEVICENAME   /dev/null:${hex}`,
        'LIBPATH      /usr/lib/pcsc/drivers/serial/libifdvpcd.so',
        `CHANNELID    ${hex}`,
        '',
      ].join('\n'),
    );
  const script = `mount --bind "$1" /run/pcscd && exec pcscd -f -c "$2"`;
  mkdirSync('/run/pcscd', { recursive: true });
  const child = spawn('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', script, 'sh', run, conf], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('error', () => undefined);
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await Promise.race([exited, sleep(3000)]);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  for (let i = 0; i < 100 && !existsSync(socket) && child.exitCode === null; i++) await sleep(50);
  if (child.exitCode !== null || !existsSync(socket)) {
    await stop();
    throw new DeviceUnavailableError('pcscd', 'could not start a private pcscd (needs root, unshare and pcscd from Debian)');
  }
  await sleep(300); // vpcd starts listening right after
  process.env[PCSC_SOCKET_ENV] = socket;
  return { child, socket, vpcdPort, env: { [PCSC_SOCKET_ENV]: socket }, stop };
}
