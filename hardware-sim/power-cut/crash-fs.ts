/**
 * A directory that records what reaches the disk: crashfs.py (our FUSE program, Debian's
 * python3-fusepy) mounted over a backing directory. Any store can run in `dir` unchanged; the
 * operation log (writes, syncs, directory changes, in order) is what crash-states.ts replays
 * into every state a power cut could leave. `seq()` is the number of the last recorded
 * operation: read it when the store confirms something, to know from which cut on it must hold.
 * `close()` unmounts (always call it: a FUSE mount must not outlive the test).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DeviceUnavailableError, TimeoutError } from '../../firmware/core/errors.ts';
import { parseOpLog, type FsOp } from './op-log.ts';

const PROGRAM = fileURLToPath(new URL('./crashfs.py', import.meta.url));
/** Debian's python3 (python3-fusepy lives in its dist-packages, not in a pyenv). */
const PYTHON = '/usr/bin/python3';

export class CrashFs {
  #seqFd: number;
  #closed = false;
  private constructor(
    readonly dir: string,
    readonly logFile: string,
    readonly seqFile: string,
    readonly child: ChildProcess,
    seqFd: number,
    readonly stderr: () => string,
  ) {
    this.#seqFd = seqFd;
  }

  /** Mounts crashfs at `<workDir>/mnt` over `<workDir>/backing`. */
  static async mount(workDir: string, timeoutMs = 10_000): Promise<CrashFs> {
    const mnt = join(workDir, 'mnt');
    const backing = join(workDir, 'backing');
    await mkdir(mnt, { recursive: true });
    await mkdir(backing, { recursive: true });
    const logFile = join(workDir, 'ops.jsonl');
    const seqFile = join(workDir, 'seq');
    const before = statSync(mnt).dev;
    const child = spawn(PYTHON, [PROGRAM, backing, mnt, logFile, seqFile], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr?.on('data', (d: Buffer) => {
      err = (err + d.toString()).slice(-4000);
    });
    child.on('error', (e) => {
      err += String(e);
    });
    const end = performance.now() + timeoutMs;
    while (statSync(mnt).dev === before) {
      if (child.exitCode !== null || child.signalCode !== null || (child.pid === undefined && err)) {
        throw new DeviceUnavailableError(
          'crashfs (FUSE)',
          `it exited: ${err.trim().split('\n').slice(-3).join(' | ')}; needs /dev/fuse, fuse3 and python3-fusepy (scripts/setup.sh installs them)`,
        );
      }
      if (performance.now() > end) {
        child.kill('SIGKILL');
        throw new TimeoutError('crashfs mount', timeoutMs);
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    return new CrashFs(mnt, logFile, seqFile, child, openSync(seqFile, 'r'), () => err);
  }

  /** The number of the last recorded operation. */
  seq(): number {
    const b = Buffer.alloc(8);
    readSync(this.#seqFd, b, 0, 8, 0);
    return Number(b.readBigUInt64LE(0));
  }

  /** Unmounts and waits for crashfs to exit; idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    closeSync(this.#seqFd);
    const exited =
      this.child.exitCode !== null || this.child.signalCode !== null
        ? Promise.resolve()
        : new Promise<void>((r) => this.child.once('exit', () => r()));
    const r = spawnSync('fusermount3', ['-u', this.dir], { encoding: 'utf8', timeout: 10_000 });
    if (r.status !== 0) spawnSync('umount', ['-l', this.dir], { timeout: 10_000 });
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }

  /** The recorded operations (after `close()`, complete). */
  ops(): FsOp[] {
    return parseOpLog(readFileSync(this.logFile, 'utf8'));
  }
}
