/**
 * A TUF repository as a static folder (`metadata/`, `targets/`) maintained on the
 * manufacturer's machine: create it, add signed release targets, re-sign the short-lived
 * timestamp, rotate a role's key through a new root signed by the old and the new root keys.
 * Consistent snapshots: `N.root.json`, `N.targets.json`, `N.snapshot.json`, targets stored as
 * `<sha256>.<name>`, so a client reading while a publish runs never sees a mix. Files are written
 * targets first and `timestamp.json` last, each atomically. Keys live in `keysDir/<role>/`.
 */
import { copyFile, mkdir, readdir, readFile, rename, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { KaoreaderError } from '../../firmware/core/errors.ts';
import { sha256File, writeAtomic, fsyncDir } from '../fsx.ts';
import { generateKey, keyFileText, readKeyFile, type SigningKey } from './keys.ts';
import {
  ROLES,
  SPEC_VERSION,
  envelopeBytes,
  expiresAt,
  metaInfo,
  signEnvelope,
  type AnySigned,
  type Envelope,
  type RoleName,
  type RootSigned,
  type SnapshotSigned,
  type TargetInfo,
  type TargetsSigned,
  type TimestampSigned,
} from './metadata.ts';

export class RepositoryError extends KaoreaderError {
  readonly code = 'TUF_REPOSITORY';
}

const DAY = 86_400_000;
export type Ttl = Record<RoleName, number>;
export const DEFAULT_TTL: Ttl = { root: 365 * DAY, targets: 90 * DAY, snapshot: 7 * DAY, timestamp: 1 * DAY };

export interface RepositoryOptions {
  readonly repoDir: string;
  readonly keysDir: string;
  readonly now?: () => number;
  readonly ttl?: Partial<Ttl>;
}

export interface NewTarget {
  readonly file: string;
  readonly custom?: Readonly<Record<string, unknown>>;
}

interface State {
  root: Envelope<RootSigned>;
  targets: Envelope<TargetsSigned>;
  snapshot: Envelope<SnapshotSigned>;
  timestamp: Envelope<TimestampSigned>;
}

async function readJson<T>(path: string): Promise<T> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch (err) {
    throw new RepositoryError(`cannot read ${path}`, { cause: err });
  }
}

export class TufRepository {
  readonly #now: () => number;
  readonly #ttl: Ttl;
  constructor(readonly options: RepositoryOptions) {
    this.#now = options.now ?? Date.now;
    this.#ttl = { ...DEFAULT_TTL, ...options.ttl };
  }

  get metadataDir(): string {
    return join(this.options.repoDir, 'metadata');
  }
  get targetsDir(): string {
    return join(this.options.repoDir, 'targets');
  }

  #expires(role: RoleName): string {
    return expiresAt(this.#now(), this.#ttl[role]);
  }

  /** Creates keys (one per role unless `rootKeys` > 1) and version-1 metadata with no targets. */
  async init(opts: { rootKeys?: number; rootThreshold?: number } = {}): Promise<void> {
    const rootKeys = opts.rootKeys ?? 1;
    const rootThreshold = opts.rootThreshold ?? 1;
    if (rootThreshold < 1 || rootThreshold > rootKeys)
      throw new RepositoryError(`root threshold ${rootThreshold} needs 1..${rootKeys} keys`);
    try {
      await stat(join(this.metadataDir, 'root.json'));
      throw new RepositoryError(`${this.options.repoDir} already holds a TUF repository`);
    } catch (err) {
      if (err instanceof RepositoryError) throw err;
    }
    await mkdir(this.metadataDir, { recursive: true });
    await mkdir(this.targetsDir, { recursive: true });
    const keys: Record<RoleName, SigningKey[]> = { root: [], targets: [], snapshot: [], timestamp: [] };
    for (const role of ROLES) {
      const n = role === 'root' ? rootKeys : 1;
      for (let i = 0; i < n; i++) keys[role].push(await this.#newKey(role));
    }
    const root: RootSigned = {
      _type: 'root',
      spec_version: SPEC_VERSION,
      version: 1,
      expires: this.#expires('root'),
      consistent_snapshot: true,
      keys: Object.fromEntries(ROLES.flatMap((r) => keys[r].map((k) => [k.keyid, k.public]))),
      roles: {
        root: { keyids: keys.root.map((k) => k.keyid), threshold: rootThreshold },
        targets: { keyids: keys.targets.map((k) => k.keyid), threshold: 1 },
        snapshot: { keyids: keys.snapshot.map((k) => k.keyid), threshold: 1 },
        timestamp: { keyids: keys.timestamp.map((k) => k.keyid), threshold: 1 },
      },
    };
    const rootEnv = signEnvelope(root, keys.root);
    await this.#writeRoot(rootEnv);
    await this.#publishTargets(
      rootEnv,
      { _type: 'targets', spec_version: SPEC_VERSION, version: 1, expires: this.#expires('targets'), targets: {} },
      1,
      1,
    );
  }

  async load(): Promise<State> {
    const root = await readJson<Envelope<RootSigned>>(join(this.metadataDir, 'root.json'));
    const timestamp = await readJson<Envelope<TimestampSigned>>(join(this.metadataDir, 'timestamp.json'));
    const snapVersion = timestamp.signed.meta['snapshot.json']?.version;
    const snapshot = await readJson<Envelope<SnapshotSigned>>(join(this.metadataDir, `${snapVersion}.snapshot.json`));
    const targetsVersion = snapshot.signed.meta['targets.json']?.version;
    const targets = await readJson<Envelope<TargetsSigned>>(join(this.metadataDir, `${targetsVersion}.targets.json`));
    return { root, targets, snapshot, timestamp };
  }

  /** Copies each file into `targets/<sha256>.<name>` and publishes new targets, snapshot, timestamp. */
  async addTargets(files: readonly NewTarget[]): Promise<Record<string, TargetInfo>> {
    const state = await this.load();
    const added: Record<string, TargetInfo> = {};
    for (const f of files) {
      const name = basename(f.file);
      const sha256 = await sha256File(f.file);
      const { size } = await stat(f.file);
      const dest = join(this.targetsDir, `${sha256}.${name}`);
      const tmp = `${dest}.tmp`;
      await copyFile(f.file, tmp);
      await rename(tmp, dest);
      added[name] = { length: size, hashes: { sha256 }, ...(f.custom ? { custom: f.custom } : {}) };
    }
    await fsyncDir(this.targetsDir);
    const targets: TargetsSigned = {
      ...state.targets.signed,
      version: state.targets.signed.version + 1,
      expires: this.#expires('targets'),
      targets: { ...state.targets.signed.targets, ...added },
    };
    await this.#publishTargets(state.root, targets, state.snapshot.signed.version + 1, state.timestamp.signed.version + 1);
    return added;
  }

  /** A new timestamp (version + 1, fresh expiry) over the same snapshot: run it before the old one expires. */
  async refreshTimestamp(): Promise<number> {
    const state = await this.load();
    const snap = await readFile(join(this.metadataDir, `${state.snapshot.signed.version}.snapshot.json`));
    const version = state.timestamp.signed.version + 1;
    const ts: TimestampSigned = {
      _type: 'timestamp',
      spec_version: SPEC_VERSION,
      version,
      expires: this.#expires('timestamp'),
      meta: { 'snapshot.json': metaInfo(state.snapshot.signed.version, snap) },
    };
    await writeAtomic(
      join(this.metadataDir, 'timestamp.json'),
      envelopeBytes(signEnvelope(ts, await this.#keysFor(state.root.signed, 'timestamp'))),
    );
    return version;
  }

  /**
   * Replaces every key of `role` with fresh ones (same count, same threshold): root version + 1 lists them, signed by
   * the old root keys and the new ones (so clients holding the old root accept it), then the
   * other roles are re-signed with new versions. The old key file moves to `keysDir/retired/`.
   */
  async rotate(role: RoleName): Promise<number> {
    const state = await this.load();
    const oldRoot = state.root.signed;
    const oldKeys = await this.#keysFor(oldRoot, 'root');
    const retiredIds = oldRoot.roles[role].keyids;
    const fresh: SigningKey[] = [];
    for (let i = 0; i < Math.max(1, retiredIds.length); i++) fresh.push(await this.#newKey(role));
    const keys: Record<string, RootSigned['keys'][string]> = {
      ...oldRoot.keys,
      ...Object.fromEntries(fresh.map((k) => [k.keyid, k.public])),
    };
    for (const id of retiredIds) {
      const stillUsed = ROLES.some((r) => r !== role && oldRoot.roles[r].keyids.includes(id));
      if (!stillUsed) delete keys[id];
    }
    const root: RootSigned = {
      ...oldRoot,
      version: oldRoot.version + 1,
      expires: this.#expires('root'),
      keys,
      roles: { ...oldRoot.roles, [role]: { keyids: fresh.map((k) => k.keyid), threshold: oldRoot.roles[role].threshold } },
    };
    await this.#retire(role, retiredIds);
    const newRootKeys = await this.#keysFor(root, 'root');
    const rootEnv = signEnvelope(root, [...oldKeys, ...newRootKeys]);
    await this.#writeRoot(rootEnv);
    const targets: TargetsSigned = {
      ...state.targets.signed,
      version: state.targets.signed.version + 1,
      expires: this.#expires('targets'),
    };
    await this.#publishTargets(rootEnv, targets, state.snapshot.signed.version + 1, state.timestamp.signed.version + 1);
    return root.version;
  }

  async #publishTargets(rootEnv: Envelope<RootSigned>, targets: TargetsSigned, snapVersion: number, tsVersion: number): Promise<void> {
    const root = rootEnv.signed;
    const tBytes = envelopeBytes(signEnvelope(targets, await this.#keysFor(root, 'targets')));
    await writeAtomic(join(this.metadataDir, `${targets.version}.targets.json`), tBytes);
    const snapshot: SnapshotSigned = {
      _type: 'snapshot',
      spec_version: SPEC_VERSION,
      version: snapVersion,
      expires: this.#expires('snapshot'),
      meta: { 'targets.json': metaInfo(targets.version, tBytes) },
    };
    const sBytes = envelopeBytes(signEnvelope(snapshot, await this.#keysFor(root, 'snapshot')));
    await writeAtomic(join(this.metadataDir, `${snapVersion}.snapshot.json`), sBytes);
    const ts: TimestampSigned = {
      _type: 'timestamp',
      spec_version: SPEC_VERSION,
      version: tsVersion,
      expires: this.#expires('timestamp'),
      meta: { 'snapshot.json': metaInfo(snapVersion, sBytes) },
    };
    await writeAtomic(join(this.metadataDir, 'timestamp.json'), envelopeBytes(signEnvelope(ts, await this.#keysFor(root, 'timestamp'))));
  }

  async #writeRoot(env: Envelope<RootSigned>): Promise<void> {
    const bytes = envelopeBytes(env as Envelope<AnySigned>);
    await writeAtomic(join(this.metadataDir, `${env.signed.version}.root.json`), bytes);
    await writeAtomic(join(this.metadataDir, 'root.json'), bytes);
  }

  async #newKey(role: RoleName): Promise<SigningKey> {
    const key = generateKey();
    const dir = join(this.options.keysDir, role);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await writeAtomic(join(dir, `${key.keyid}.json`), keyFileText(key), 0o600);
    return key;
  }

  async #retire(role: RoleName, keyids: readonly string[]): Promise<void> {
    const dir = join(this.options.keysDir, 'retired');
    await mkdir(dir, { recursive: true, mode: 0o700 });
    for (const id of keyids) {
      try {
        await rename(join(this.options.keysDir, role, `${id}.json`), join(dir, `${role}-${id}.json`));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    }
  }

  /** The key files of `role` listed in `root`; at least the role's threshold of them. */
  async #keysFor(root: RootSigned, role: RoleName): Promise<SigningKey[]> {
    const want = root.roles[role];
    const dir = join(this.options.keysDir, role);
    let names: string[] = [];
    try {
      names = await readdir(dir);
    } catch {
      names = [];
    }
    const keys: SigningKey[] = [];
    for (const n of names.filter((x) => x.endsWith('.json'))) {
      const k = await readKeyFile(join(dir, n));
      if (want.keyids.includes(k.keyid)) keys.push(k);
    }
    if (keys.length < want.threshold)
      throw new RepositoryError(`${role}: ${keys.length} key file(s) in ${dir}, threshold is ${want.threshold}`);
    return keys;
  }
}
