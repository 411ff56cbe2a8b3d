/**
 * Which release to install, from the targets the trusted metadata offers: the newest version
 * overall; refused when it is older than what the device runs or has committed (versions
 * never go down), when there is no build of it for this arch or Node ABI (a release carrying
 * its own Node runtime runs on that, whatever this device runs now). A version that was
 * rolled back on this device is not tried again.
 */
import { compareVersions, isVersion } from '../release/manifest.ts';
import { UpdateRejectedError } from './errors.ts';

export interface ReleaseTarget {
  readonly path: string;
  readonly version: string;
  readonly arch: string;
  readonly nodeAbi: string;
  readonly unpackedBytes: number;
  /** The Node.js version the release carries (it then runs on it, whatever ABI runs now). */
  readonly runtime?: string;
}

export interface DeviceFacts {
  readonly arch: string;
  readonly nodeAbi: string;
  readonly current: string | undefined;
  /** Highest version ever committed here (anti-rollback floor). */
  readonly floor: string | undefined;
  readonly blocked: Readonly<Record<string, string>>;
}

/** Reads `custom.kaoreader` of a target; undefined for targets that are not releases. */
export function releaseTargetOf(path: string, custom: Readonly<Record<string, unknown>>): ReleaseTarget | undefined {
  const k = custom['kaoreader'] as Record<string, unknown> | undefined;
  if (!k || !isVersion(k['version']) || typeof k['arch'] !== 'string' || typeof k['nodeAbi'] !== 'string') return undefined;
  const unpacked = typeof k['unpackedBytes'] === 'number' && Number.isSafeInteger(k['unpackedBytes']) ? k['unpackedBytes'] : 0;
  const runtime = typeof k['runtime'] === 'string' && isVersion(k['runtime']) ? { runtime: k['runtime'] } : {};
  return { path, version: k['version'], arch: k['arch'], nodeAbi: k['nodeAbi'], unpackedBytes: unpacked, ...runtime };
}

export function chooseRelease(offered: readonly ReleaseTarget[], d: DeviceFacts, wanted?: string): ReleaseTarget | undefined {
  const pool = wanted ? offered.filter((t) => t.version === wanted) : offered;
  if (pool.length === 0) return undefined;
  const newest = pool
    .map((t) => t.version)
    .sort(compareVersions)
    .at(-1) as string;
  const floor = [d.current, d.floor]
    .filter((v): v is string => isVersion(v))
    .sort(compareVersions)
    .at(-1);
  if (floor && compareVersions(newest, floor) < 0) {
    throw new UpdateRejectedError('release-rollback', `newest release offered is ${newest}, this device already runs ${floor}`);
  }
  if (floor && compareVersions(newest, floor) === 0) return undefined;
  if (d.blocked[newest]) return undefined;
  const sameVersion = pool.filter((t) => t.version === newest);
  const forArch = sameVersion.filter((t) => t.arch === d.arch);
  if (forArch.length === 0)
    throw new UpdateRejectedError(
      'wrong-arch',
      `release ${newest} is built for ${sameVersion.map((t) => t.arch).join(', ')}, this device is ${d.arch}`,
    );
  const forAbi = forArch.filter((t) => t.runtime !== undefined || t.nodeAbi === d.nodeAbi);
  if (forAbi.length === 0)
    throw new UpdateRejectedError(
      'wrong-abi',
      `release ${newest} needs Node ABI ${forArch.map((t) => t.nodeAbi).join(', ')}, this device runs ${d.nodeAbi}`,
    );
  return forAbi[0];
}
