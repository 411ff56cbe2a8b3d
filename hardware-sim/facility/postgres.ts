/**
 * A private PostgreSQL from Debian's packages for tests and benches: a fresh cluster in a
 * temporary folder (initdb), started with pg_ctl on a free port and a Unix socket in that
 * folder (no TCP listener), stopped and removed by `stop()`. PostgreSQL refuses to run as root:
 * as root, the cluster belongs to the `postgres` system user (runuser). Durability settings are
 * PostgreSQL's defaults (fsync, synchronous_commit, full_page_writes on); the settings we
 * recommend to facility IT (facility/store/postgres-settings.ts) apply, so benches measure them.
 */
import { execFile } from 'node:child_process';
import { chmod, chown, mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DeviceUnavailableError } from '../../firmware/core/errors.ts';
import { RECOMMENDED_SETTINGS } from '../../facility/store/postgres-settings.ts';
import { freePort } from './mosquitto.ts';

const run = promisify(execFile);

export interface RunningPostgres {
  /** `postgres://kaoreader@/postgres?host=<socket dir>&port=<port>` */
  readonly url: string;
  readonly dir: string;
  readonly port: number;
  /** The postmaster's pid (first line of postmaster.pid), for CPU accounting. */
  serverPid(): Promise<number>;
  stop(): Promise<void>;
}

/** The folder of Debian's PostgreSQL server binaries (newest major installed). */
async function binDir(): Promise<string> {
  let majors: string[];
  try {
    majors = (await readdir('/usr/lib/postgresql')).filter((d) => /^\d+$/.test(d)).sort((a, b) => Number(b) - Number(a));
  } catch (err) {
    throw new DeviceUnavailableError('PostgreSQL', 'install the Debian package "postgresql" (scripts/setup.sh does)', { cause: err });
  }
  const newest = majors[0];
  if (!newest) throw new DeviceUnavailableError('PostgreSQL', 'install the Debian package "postgresql" (scripts/setup.sh does)');
  return join('/usr/lib/postgresql', newest, 'bin');
}

export interface PostgresStartOptions {
  /** Default: a new temporary folder. As root, every folder above it must be searchable by the postgres user. */
  readonly dir?: string;
  /** Server settings (`-c name=value`) on top of the cluster's own, e.g. `shared_preload_libraries`. */
  readonly settings?: Readonly<Record<string, string>>;
}

export async function startPostgres(o: PostgresStartOptions = {}): Promise<RunningPostgres> {
  const bin = await binDir();
  const dir = o.dir ?? (await mkdtemp(join(tmpdir(), 'kao-pg-')));
  await mkdir(dir, { recursive: true });
  const root = userInfo().uid === 0;
  const asOwner = (cmd: string, args: readonly string[]): Promise<{ stdout: string; stderr: string }> =>
    root ? run('runuser', ['-u', 'postgres', '--', join(bin, cmd), ...args]) : run(join(bin, cmd), [...args]);
  if (root) {
    const { uid, gid } = await ids('postgres');
    await chown(dir, uid, gid);
  }
  await chmod(dir, 0o700);
  const data = join(dir, 'data');
  await asOwner('initdb', ['-D', data, '-U', 'kaoreader', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C']);
  const port = await freePort();
  const settings = Object.entries({ listen_addresses: "''", max_connections: '40', ...RECOMMENDED_SETTINGS, ...o.settings });
  const opts = [`-p ${port} -k ${dir}`, ...settings.map(([k, v]) => `-c ${k}=${v}`)].join(' ');
  await asOwner('pg_ctl', ['-D', data, '-o', opts, '-l', join(dir, 'server.log'), '-w', '-t', '60', 'start']);
  let stopped = false;
  return {
    url: `postgres://kaoreader@/postgres?host=${encodeURIComponent(dir)}&port=${port}`,
    dir,
    port,
    serverPid: async () => Number((await readFile(join(data, 'postmaster.pid'), 'utf8')).split('\n')[0]),
    async stop() {
      if (stopped) return;
      stopped = true;
      await asOwner('pg_ctl', ['-D', data, '-m', 'fast', '-w', '-t', '60', 'stop']).catch(() => undefined);
      if (!o.dir) await rm(dir, { recursive: true, force: true });
    },
  };
}

async function ids(user: string): Promise<{ uid: number; gid: number }> {
  const { stdout } = await run('id', ['-u', user]);
  const { stdout: g } = await run('id', ['-g', user]);
  return { uid: Number(stdout.trim()), gid: Number(g.trim()) };
}
