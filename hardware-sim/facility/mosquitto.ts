/**
 * Starts a real mosquitto (Debian's /usr/sbin/mosquitto) for tests, benches and the demo, on a
 * free loopback port, with either the generated TLS facility config or a plain loopback
 * listener. `kill9()` + `restart()` simulate a broker crash on the same port.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdirSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { createServer, connect as tcpConnect } from 'node:net';
import { join } from 'node:path';
import { DeviceUnavailableError, TimeoutError } from '../../firmware/core/errors.ts';
import { mosquittoAcl, mosquittoConf } from '../../firmware/facility/pairing/mosquitto-config.ts';

export interface MosquittoOptions {
  readonly dir: string;
  readonly port?: number;
  /** Facility TLS (files from the facility CA dir); plain anonymous loopback when absent. */
  readonly tls?: { readonly caFile: string; readonly certFile: string; readonly keyFile: string; readonly crlFile?: string };
  readonly persistence?: boolean;
  readonly binary?: string;
  /** More addresses to listen on (same port, plain mode), e.g. a veth address for netns benches. */
  readonly alsoListenOn?: readonly string[];
}

export interface RunningMosquitto {
  readonly port: number;
  readonly url: string;
  readonly pid: () => number | undefined;
  readonly log: () => string;
  kill9(): Promise<void>;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (typeof a === 'object' && a ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

/** The inodes of sockets listening on loopback/any `port` (Linux /proc/net/tcp{,6}; state 0A = LISTEN). */
function listeningInodes(port: number): Set<string> {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(table, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue; // no IPv6 here
      throw err;
    }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f[1]?.endsWith(`:${hexPort}`) && f[3] === '0A' && f[9]) inodes.add(f[9]);
    }
  }
  return inodes;
}

/** Whether process `pid` holds one of the sockets listening on `port`. */
function listensOn(pid: number | undefined, port: number): boolean {
  if (pid === undefined) return false;
  const inodes = listeningInodes(port);
  if (inodes.size === 0) return false;
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false; // it has exited
    throw err;
  }
  return fds.some((fd) => {
    try {
      return inodes.has(/^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1] ?? '');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false; // closed meanwhile
      throw err;
    }
  });
}

/**
 * Up when the socket listening on the port is this launch's mosquitto's own and it answers. The
 * port answering alone is not enough: after a kill -9 the port is free until the restart binds
 * it, and another process (another engineer's broker and facility) can take it meanwhile; our
 * mosquitto then exits with "Address already in use" a moment later while a connect reaches the
 * other listener, and the rig would talk to someone else's facility.
 */
async function waitForPort(port: number, child: ChildProcess, timeoutMs: number, log: () => string): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new DeviceUnavailableError(
        'mosquitto',
        `it exited with code ${child.exitCode ?? child.signalCode}: ${log().trim().split('\n').slice(-3).join(' | ')}`,
      );
    if (!listensOn(child.pid, port)) {
      await new Promise((r) => setTimeout(r, 25));
      continue;
    }
    const ok = await new Promise<boolean>((resolve) => {
      const s = tcpConnect(port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new TimeoutError('mosquitto start', timeoutMs);
}

export async function startMosquitto(o: MosquittoOptions): Promise<RunningMosquitto> {
  mkdirSync(o.dir, { recursive: true });
  const port = o.port ?? (await freePort());
  const conf = join(o.dir, 'mosquitto.conf');
  if (o.tls) {
    const acl = join(o.dir, 'acl');
    writeFileSync(acl, mosquittoAcl());
    writeFileSync(
      conf,
      mosquittoConf({ port, bind: '127.0.0.1', ...o.tls, aclFile: acl, ...(o.persistence ? { persistenceDir: join(o.dir, 'data') } : {}) }),
    );
  } else {
    writeFileSync(
      conf,
      [
        `listener ${port} 127.0.0.1`,
        ...(o.alsoListenOn ?? []).map((a) => `listener ${port} ${a}`),
        'allow_anonymous true',
        'max_inflight_messages 100',
        'set_tcp_nodelay true',
        'max_queued_messages 100000',
        o.persistence ? `persistence true\npersistence_location ${join(o.dir, 'data')}/` : 'persistence false',
        '',
      ].join('\n'),
    );
  }
  if (o.persistence) mkdirSync(join(o.dir, 'data'), { recursive: true });
  // Started as root, mosquitto drops to the `mosquitto` user, which cannot read our private temp dirs.
  if (process.getuid?.() === 0) appendFileSync(conf, 'user root\n');
  let child: ChildProcess;
  let log = '';
  const launch = async (): Promise<void> => {
    // Own process group: a terminal's Ctrl-C reaches us, and we stop the broker after our clients.
    child = spawn(o.binary ?? '/usr/sbin/mosquitto', ['-c', conf], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    child.on('error', () => undefined);
    child.stdout?.on('data', (d: Buffer) => {
      log = (log + d.toString()).slice(-20_000);
    });
    child.stderr?.on('data', (d: Buffer) => {
      log = (log + d.toString()).slice(-20_000);
    });
    await waitForPort(port, child, 5000, () => log);
  };
  const exited = (): Promise<void> =>
    child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((r) => child.once('exit', () => r()));
  await launch();
  const reap = (): void => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  process.once('exit', reap);
  return {
    port,
    url: `${o.tls ? 'mqtts' : 'mqtt'}://127.0.0.1:${port}`,
    pid: () => child.pid,
    log: () => log,
    async kill9() {
      child.kill('SIGKILL');
      await exited();
    },
    async restart() {
      await launch();
    },
    async stop() {
      child.kill('SIGTERM');
      await exited();
      process.off('exit', reap);
    },
  };
}
