/**
 * What the daemon asks the installer unit (unit-installer.ts ↔ `kaoreader installer`): one
 * request file and one response file in the daemon's state folder. The installer runs as root
 * and reads a file the daemon can write, so every field is checked here: versions are
 * MAJOR.MINOR.PATCH, numbers are in range, the download is a plain name (resolved inside the
 * downloads folder by the installer), and nothing else is accepted.
 */
import { KaoreaderError } from '../../firmware/core/errors.ts';
import { isArch, isVersion } from '../release/manifest.ts';
import type { RejectReason } from './errors.ts';
import type { Trial } from './trial.ts';

export class InstallRequestError extends KaoreaderError {
  readonly code = 'INSTALL_REQUEST_INVALID';
}

export type InstallOp =
  | { readonly op: 'unpack'; readonly version: string; readonly download: string; readonly target: string }
  | { readonly op: 'switch'; readonly version: string; readonly from?: string }
  | { readonly op: 'commit'; readonly trial: Trial; readonly keep: number }
  | { readonly op: 'rollback'; readonly trial: Trial; readonly reason: string }
  | { readonly op: 'recover' }
  | { readonly op: 'forget-rollback' };

export type InstallRequest = InstallOp & { readonly id: string; readonly arch: string };

export interface InstallResponse {
  readonly id: string;
  readonly ok: boolean;
  readonly removed?: readonly string[];
  readonly reason?: RejectReason;
  readonly detail?: string;
}

const ID = /^[0-9a-f-]{8,64}$/;
const NAME = /^[A-Za-z0-9._-]{1,200}$/;

function trialOf(v: unknown, problems: string[]): Trial {
  const t = (v ?? {}) as Partial<Trial>;
  if (!isVersion(t.version) || !isVersion(t.from)) problems.push('trial versions must be MAJOR.MINOR.PATCH');
  if (!Number.isSafeInteger(t.attempts) || (t.attempts ?? -1) < 0) problems.push('trial attempts must be a count');
  return { version: String(t.version), from: String(t.from), attempts: Number(t.attempts) };
}

export function parseInstallRequest(text: string): InstallRequest {
  let r: Record<string, unknown>;
  try {
    r = JSON.parse(text) as Record<string, unknown>;
  } catch (err) {
    throw new InstallRequestError('request is not JSON', { cause: err });
  }
  const problems: string[] = [];
  const id = typeof r['id'] === 'string' && ID.test(r['id']) ? r['id'] : '';
  if (!id) problems.push('id');
  const arch = isArch(r['arch']) ? r['arch'] : '';
  if (!arch) problems.push('arch');
  const version = (): string => {
    if (!isVersion(r['version'])) problems.push('version must be MAJOR.MINOR.PATCH');
    return String(r['version']);
  };
  let op: InstallOp;
  switch (r['op']) {
    case 'unpack': {
      const download = typeof r['download'] === 'string' && NAME.test(r['download']) ? r['download'] : '';
      const target = typeof r['target'] === 'string' && r['target'].length <= 300 ? r['target'] : '';
      if (!download) problems.push('download must be a file name');
      if (!target) problems.push('target');
      op = { op: 'unpack', version: version(), download, target };
      break;
    }
    case 'switch': {
      const from = r['from'];
      if (from !== undefined && !isVersion(from)) problems.push('from must be MAJOR.MINOR.PATCH');
      op = { op: 'switch', version: version(), ...(typeof from === 'string' ? { from } : {}) };
      break;
    }
    case 'commit': {
      const keep = Number(r['keep']);
      if (!Number.isInteger(keep) || keep < 2 || keep > 5) problems.push('keep must be 2…5');
      op = { op: 'commit', trial: trialOf(r['trial'], problems), keep };
      break;
    }
    case 'rollback':
      op = { op: 'rollback', trial: trialOf(r['trial'], problems), reason: String(r['reason'] ?? '').slice(0, 500) };
      break;
    case 'recover':
    case 'forget-rollback':
      op = { op: r['op'] };
      break;
    default:
      throw new InstallRequestError(`unknown op ${JSON.stringify(r['op'])}`);
  }
  if (problems.length > 0) throw new InstallRequestError(`install request: ${problems.join('; ')}`);
  return { ...op, id, arch };
}
