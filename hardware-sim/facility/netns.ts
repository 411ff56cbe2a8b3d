/**
 * A real network partition for benches (root only): a network namespace joined to the host by
 * a veth pair. A process started with `exec()` lives inside; `down()` pulls the cable (no RST,
 * both ends keep half-open connections until MQTT keepalive notices), `up()` plugs it back.
 * `tc netem` would add loss/delay here, but this kernel has no sch_netem, so only up/down.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { randomBytes } from 'node:crypto';

export class NetnsLink {
  readonly ns: string;
  readonly hostIf: string;
  readonly nsIf: string;
  readonly hostIp: string;
  readonly nsIp: string;

  constructor() {
    const tag = randomBytes(3).toString('hex');
    const octet = 16 + ((randomBytes(1)[0] ?? 0) % 200);
    this.ns = `kao-${tag}`;
    this.hostIf = `kh${tag}`;
    this.nsIf = `kn${tag}`;
    this.hostIp = `10.${octet}.77.1`;
    this.nsIp = `10.${octet}.77.2`;
  }

  static available(): boolean {
    if (process.getuid?.() !== 0) return false;
    // Not available: `ip` is not installed, or it refuses network namespaces (exit status).
    const probe = spawnSync('ip', ['netns', 'list'], { stdio: 'ignore' });
    if (probe.error) {
      if ((probe.error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw probe.error;
    }
    return probe.status === 0;
  }

  setup(): void {
    const ip = (...a: string[]): void => {
      execFileSync('ip', a, { stdio: 'pipe' });
    };
    ip('netns', 'add', this.ns);
    ip('link', 'add', this.hostIf, 'type', 'veth', 'peer', 'name', this.nsIf);
    ip('link', 'set', this.nsIf, 'netns', this.ns);
    ip('addr', 'add', `${this.hostIp}/30`, 'dev', this.hostIf);
    ip('link', 'set', this.hostIf, 'up');
    ip('netns', 'exec', this.ns, 'ip', 'addr', 'add', `${this.nsIp}/30`, 'dev', this.nsIf);
    ip('netns', 'exec', this.ns, 'ip', 'link', 'set', this.nsIf, 'up');
    ip('netns', 'exec', this.ns, 'ip', 'link', 'set', 'lo', 'up');
  }

  exec(cmd: string, args: readonly string[], options: SpawnOptions): ChildProcess {
    return spawn('ip', ['netns', 'exec', this.ns, cmd, ...args], options);
  }

  down(): void {
    execFileSync('ip', ['link', 'set', this.hostIf, 'down']);
  }
  up(): void {
    execFileSync('ip', ['link', 'set', this.hostIf, 'up']);
  }

  teardown(): void {
    try {
      execFileSync('ip', ['link', 'del', this.hostIf], { stdio: 'ignore' });
    } catch {
      /* already gone with the namespace */
    }
    try {
      execFileSync('ip', ['netns', 'del', this.ns], { stdio: 'ignore' });
    } catch {
      /* not created */
    }
  }
}
