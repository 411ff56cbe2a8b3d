/**
 * The ReleaseInstaller of the hardened install: the daemon cannot write /opt/kaoreader, so it
 * asks the installer unit. A request is written atomically to `<state>/ota/request.json`;
 * systemd's kaoreader-installer.path starts kaoreader-installer.service, which runs
 * `kaoreader installer` as root (checks the request, verifies an unpack against its own TUF
 * metadata, does the step with DirectInstaller) and answers in `<state>/ota/response.json`.
 * One request at a time; the answer is awaited on the injected clock up to a deadline.
 */
import { randomUUID } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { basename } from 'node:path';
import { KaoreaderError } from '../../firmware/core/errors.ts';
import type { Clock } from '../../firmware/ports/clock.ts';
import { writeAtomic } from '../fsx.ts';
import { UpdateRejectedError } from './errors.ts';
import type { InstallOp, InstallResponse } from './install-request.ts';
import type { ReleaseInstaller, UnpackRequest } from './installer.ts';
import type { Layout } from './layout.ts';
import type { Trial } from './trial.ts';

export class InstallerUnitError extends KaoreaderError {
  readonly code = 'INSTALLER_UNIT';
}

export interface UnitInstallerOptions {
  readonly clock: Clock;
  readonly arch: string;
  /** Per request; unpacking a release on a Pi takes tens of seconds. Default 10 min. */
  readonly timeoutMs?: number;
  readonly pollMs?: number;
}

export class UnitInstaller implements ReleaseInstaller {
  #queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly layout: Layout,
    private readonly o: UnitInstallerOptions,
  ) {}

  #ask(op: InstallOp): Promise<InstallResponse> {
    const run = this.#queue.then(() => this.#exchange(op));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #exchange(op: InstallOp): Promise<InstallResponse> {
    const l = this.layout;
    const id = randomUUID();
    await rm(l.responseFile, { force: true });
    await writeAtomic(l.requestFile, `${JSON.stringify({ ...op, id, arch: this.o.arch })}\n`, 0o644);
    const poll = this.o.pollMs ?? 200;
    const tries = Math.ceil((this.o.timeoutMs ?? 600_000) / poll);
    for (let i = 0; i < tries; i++) {
      await this.o.clock.sleep(poll);
      let text: string;
      try {
        text = await readFile(l.responseFile, 'utf8');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw err;
      }
      const r = JSON.parse(text) as InstallResponse;
      if (r.id !== id) continue;
      await rm(l.responseFile, { force: true });
      if (r.ok) return r;
      if (r.reason) throw new UpdateRejectedError(r.reason, r.detail ?? 'refused by the installer');
      throw new InstallerUnitError(`the installer refused ${op.op}: ${r.detail ?? 'no detail'}`);
    }
    await rm(l.requestFile, { force: true });
    throw new InstallerUnitError(
      `the installer unit did not answer ${op.op} within ${this.o.timeoutMs ?? 600_000} ms (is kaoreader-installer.path enabled?)`,
    );
  }

  async unpack(req: UnpackRequest): Promise<void> {
    await this.#ask({ op: 'unpack', version: req.version, download: basename(req.file), target: req.target });
  }

  async switchTo(version: string, from: string | undefined, onLinked?: () => void): Promise<void> {
    await this.#ask({ op: 'switch', version, ...(from ? { from } : {}) });
    onLinked?.();
  }

  async commit(trial: Trial, keep: number): Promise<string[]> {
    return [...((await this.#ask({ op: 'commit', trial, keep })).removed ?? [])];
  }

  async rollback(trial: Trial, reason: string): Promise<void> {
    await this.#ask({ op: 'rollback', trial, reason });
  }

  async recover(): Promise<void> {
    await this.#ask({ op: 'recover' });
  }

  async forgetRollback(): Promise<void> {
    await this.#ask({ op: 'forget-rollback' });
  }
}
