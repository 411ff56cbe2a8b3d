/**
 * The installer unit's side of unit-installer.ts: one checked request, done with
 * DirectInstaller, one answer. An unpack is trusted only after this side's own TUF refresh
 * (metadata under `<base>/ota/tuf`, which the daemon cannot write) vouches for the download's
 * length and hash and its version, arch and ABI: a daemon that was taken over cannot get
 * anything unsigned installed, only ask for steps the agent could take anyway. The download is
 * read once, into the installer's own staging folder (take-download.ts): the daemon cannot
 * change what is unpacked after it was verified.
 */
import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { UpdateRejectedError } from './errors.ts';
import type { InstallRequest, InstallResponse } from './install-request.ts';
import { DirectInstaller } from './installer.ts';
import type { Layout } from './layout.ts';
import { releaseTargetOf } from './select.ts';
import { takeDownload } from './take-download.ts';
import { refreshTargets } from './tuf-client.ts';

export interface InstallerSide {
  readonly layout: Layout;
  readonly arch: string;
  /** The ABI of the runtime this installer runs on (the committed release's). */
  readonly nodeAbi: string;
  readonly repoUrl: string | undefined;
  /** The installer's own trusted metadata (root.json provisioned at install). */
  readonly tufDir: string;
  readonly fetchTimeoutMs?: number;
}

async function verifiedUnpack(s: InstallerSide, inst: DirectInstaller, req: Extract<InstallRequest, { op: 'unpack' }>): Promise<void> {
  if (req.arch !== s.arch) throw new UpdateRejectedError('wrong-arch', `request for ${req.arch} on a ${s.arch} device`);
  if (!s.repoUrl) throw new UpdateRejectedError('metadata-invalid', 'no ota.repositoryUrl configured for the installer');
  const offered = await refreshTargets({
    metadataDir: s.tufDir,
    repoUrl: s.repoUrl,
    ...(s.fetchTimeoutMs ? { fetchTimeoutMs: s.fetchTimeoutMs } : {}),
  });
  const target = offered.find((t) => t.path === req.target);
  const release = target ? releaseTargetOf(target.path, target.info.custom) : undefined;
  if (!target || !release || release.version !== req.version || release.arch !== s.arch) {
    throw new UpdateRejectedError(
      'metadata-inconsistent',
      `the signed targets have no ${s.arch} release ${req.version} named ${req.target}`,
    );
  }
  // one read of the daemon's file, into root's staging folder: the check and the unpack both see the copy
  const file = await takeDownload(s.layout.downloads, req.download, s.layout.staging, target.info.length);
  try {
    try {
      await target.info.verify(createReadStream(file));
    } catch (err) {
      throw new UpdateRejectedError('target-hash', `${req.download} does not match the signed length and hash of ${req.target}`, {
        cause: err,
      });
    }
    const nodeAbi = release.runtime ? release.nodeAbi : s.nodeAbi;
    await inst.unpack({ version: req.version, file, target: req.target, expect: { version: req.version, arch: s.arch, nodeAbi } });
  } finally {
    await rm(file, { force: true });
  }
}

export async function serveInstallRequest(s: InstallerSide, req: InstallRequest): Promise<InstallResponse> {
  const inst = new DirectInstaller(s.layout);
  try {
    switch (req.op) {
      case 'unpack':
        await verifiedUnpack(s, inst, req);
        return { id: req.id, ok: true };
      case 'switch':
        await inst.switchTo(req.version, req.from);
        return { id: req.id, ok: true };
      case 'commit':
        return { id: req.id, ok: true, removed: await inst.commit(req.trial, req.keep) };
      case 'rollback':
        await inst.rollback(req.trial, req.reason);
        return { id: req.id, ok: true };
      case 'recover':
        await inst.recover();
        return { id: req.id, ok: true };
      case 'forget-rollback':
        await inst.forgetRollback();
        return { id: req.id, ok: true };
    }
  } catch (err) {
    if (err instanceof UpdateRejectedError) return { id: req.id, ok: false, reason: err.reason, detail: err.detail };
    return { id: req.id, ok: false, detail: err instanceof Error ? err.message : String(err) };
  }
}
