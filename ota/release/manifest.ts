/**
 * The release manifest (`manifest.json`, first entry of every release tarball): version,
 * architecture, the Node ABI (`process.versions.modules`) its native addons were built for,
 * the hash and size of every file, and what was done about each native addon. Shared by the
 * release tooling (writes it) and the device agent (checks it before switching).
 */
import { KaoreaderError } from '../../firmware/core/errors.ts';

export const ARCHES = ['linux-arm64', 'linux-x64'] as const;
export type Arch = (typeof ARCHES)[number];

export class ManifestError extends KaoreaderError {
  readonly code = 'MANIFEST_INVALID';
}

export interface NativeAddon {
  readonly package: string;
  /** included: a binary for this arch is in the release; missing: none could be made here. */
  readonly status: 'included' | 'missing';
  readonly files: readonly string[];
  readonly note: string;
}

/** The Node.js a release carries and its units run (npm's node-linux-<cpu>, see runtime.ts). */
export interface RuntimeInfo {
  readonly node: string;
  readonly arch: Arch;
  /** The node binary, relative to the release directory. */
  readonly path: string;
}

export interface ReleaseManifest {
  readonly schema: 1;
  readonly name: 'kaoreader';
  readonly version: string;
  readonly arch: Arch;
  readonly nodeAbi: string;
  readonly nodeVersion: string;
  readonly createdAt: string;
  /** Command the service runs, relative to the release directory. */
  readonly entry: string;
  readonly files: Readonly<Record<string, { readonly size: number; readonly sha256: string }>>;
  readonly unpackedBytes: number;
  readonly nativeAddons: readonly NativeAddon[];
  /** Files the device converts into models at first start (face-api weights). */
  readonly modelInputs: readonly string[];
  /** Absent in releases that run on the device's own node (tests, older releases). */
  readonly runtime?: RuntimeInfo;
}

const VERSION = /^(0|[1-9]\d{0,8})\.(0|[1-9]\d{0,8})\.(0|[1-9]\d{0,8})$/;

export function isVersion(v: unknown): v is string {
  return typeof v === 'string' && VERSION.test(v);
}

/** Negative when a < b, 0 when equal, positive when a > b (MAJOR.MINOR.PATCH only). */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

export function isArch(v: unknown): v is Arch {
  return typeof v === 'string' && (ARCHES as readonly string[]).includes(v);
}

/** The arch of this machine in release terms, or undefined on an unsupported one. */
export function hostArch(platform = process.platform, cpu = process.arch): Arch | undefined {
  const a = `${platform}-${cpu}`;
  return isArch(a) ? a : undefined;
}

export function parseManifest(text: string): ReleaseManifest {
  let m: Partial<ReleaseManifest>;
  try {
    m = JSON.parse(text) as Partial<ReleaseManifest>;
  } catch (err) {
    throw new ManifestError('manifest.json is not JSON', { cause: err });
  }
  const problems: string[] = [];
  if (m.schema !== 1) problems.push('schema must be 1');
  if (m.name !== 'kaoreader') problems.push('name must be kaoreader');
  if (!isVersion(m.version)) problems.push('version must be MAJOR.MINOR.PATCH');
  if (!isArch(m.arch)) problems.push(`arch must be one of ${ARCHES.join(', ')}`);
  if (typeof m.nodeAbi !== 'string' || !/^\d+$/.test(m.nodeAbi)) problems.push('nodeAbi must be a number string');
  const inside = (p: string): boolean => p !== '' && !p.startsWith('/') && !p.includes('\\') && !p.split('/').includes('..');
  if (typeof m.entry !== 'string') problems.push('entry missing');
  else if (!inside(m.entry)) problems.push('entry must be a path inside the release');
  if (m.modelInputs !== undefined && (!Array.isArray(m.modelInputs) || m.modelInputs.some((p) => typeof p !== 'string' || !inside(p))))
    problems.push('modelInputs must be paths inside the release');
  if (typeof m.files !== 'object' || m.files === null) problems.push('files missing');
  else {
    for (const [p, f] of Object.entries(m.files)) {
      if (!inside(p)) problems.push(`bad file path ${p}`);
      if (!Number.isSafeInteger(f?.size) || typeof f?.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(f.sha256))
        problems.push(`bad file entry ${p}`);
    }
  }
  if (m.runtime !== undefined) {
    const r = m.runtime as Partial<RuntimeInfo> | null;
    if (
      typeof r?.node !== 'string' ||
      !isVersion(r.node) ||
      !isArch(r.arch) ||
      r.arch !== m.arch ||
      typeof r.path !== 'string' ||
      r.path.startsWith('/') ||
      r.path.split('/').includes('..')
    )
      problems.push('runtime must be {node: X.Y.Z, arch: the release arch, path inside the release}');
  }
  if (problems.length > 0) throw new ManifestError(`manifest.json: ${problems.join('; ')}`);
  return m as ReleaseManifest;
}
