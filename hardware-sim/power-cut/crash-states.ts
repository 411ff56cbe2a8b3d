/**
 * Every state a power cut could leave, replayed from crashfs's operation log. The disk model is
 * strict POSIX:
 * - a write is durable only once its file is fsync'd / fdatasync'd, or if it was made through an
 *   O_SYNC/O_DSYNC descriptor (then that write's bytes alone, and the size they reach: bytes
 *   before them that were never synced read back as zeros);
 * - a name (create, mkdir, rename, unlink) is durable only once its directory is fsync'd;
 * - truncation is durable only with an fsync of the file.
 * For a cut after operation k (k = 0…n) it yields:
 * - `durable`: exactly what was durable: every write not yet made durable is dropped;
 * - `torn`: when operation k+1 is a write, durable plus only a prefix of that write (the cut
 *   came mid-write: a synchronous write half done, or a plain one half written back);
 * - `writeback`: durable plus a random half of the 4 KiB pages that differ from it (the kernel
 *   had written some dirty pages back on its own), seeded, so repeatable.
 */
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FsOp } from './op-log.ts';

export type Variant = 'durable' | 'torn' | 'writeback';

export interface CrashState {
  /** Operations applied before the cut (0 … n). */
  readonly cut: number;
  readonly variant: Variant;
  /** Paths ('/a/b') of the directories and files that exist after the cut, with file contents. */
  readonly dirs: readonly string[];
  readonly files: ReadonlyMap<string, Buffer>;
}

interface Node {
  readonly kind: 'file' | 'dir';
  data: Buffer;
  durable: Buffer;
  entries: Map<string, Node>;
  durableEntries: Map<string, Node>;
}

const PAGE = 4096;
const node = (kind: Node['kind']): Node => ({
  kind,
  data: Buffer.alloc(0),
  durable: Buffer.alloc(0),
  entries: new Map(),
  durableEntries: new Map(),
});

function put(into: Buffer, off: number, bytes: Buffer): Buffer {
  const out = Buffer.alloc(Math.max(into.length, off + bytes.length));
  into.copy(out);
  bytes.copy(out, off);
  return out;
}

function resize(b: Buffer, size: number): Buffer {
  const out = Buffer.alloc(size);
  b.copy(out, 0, 0, Math.min(size, b.length));
  return out;
}

/** A small seeded generator (mulberry32): the same log gives the same writeback states. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class DiskModel {
  readonly root = node('dir');
  /** crashfs inode number → the node now behind it (numbers are reused after unlink). */
  readonly #live = new Map<number, Node>();

  #dir(path: string): [Node, string] {
    const parts = path.split('/').filter(Boolean);
    const name = parts.pop();
    if (name === undefined) throw new RangeError(`no name in ${path}`);
    let d = this.root;
    for (const p of parts) {
      const next = d.entries.get(p);
      if (next?.kind !== 'dir') throw new RangeError(`${path}: ${p} is not a directory`);
      d = next;
    }
    return [d, name];
  }

  #lookup(path: string): Node {
    if (path === '/') return this.root;
    const [d, name] = this.#dir(path);
    const n = d.entries.get(name);
    if (!n) throw new RangeError(`${path}: no such entry`);
    return n;
  }

  #ino(ino: number): Node {
    const n = this.#live.get(ino);
    if (!n) throw new RangeError(`inode ${ino} was never created through crashfs`);
    return n;
  }

  apply(op: FsOp): void {
    switch (op.op) {
      case 'create':
      case 'mkdir': {
        const [d, name] = this.#dir(op.path);
        const n = node(op.op === 'mkdir' ? 'dir' : 'file');
        d.entries.set(name, n);
        this.#live.set(op.ino, n);
        return;
      }
      case 'write': {
        const n = this.#ino(op.ino);
        n.data = put(n.data, op.off, op.data);
        if (op.sync) n.durable = put(n.durable, op.off, op.data);
        return;
      }
      case 'truncate': {
        const n = this.#ino(op.ino);
        n.data = resize(n.data, op.size);
        return;
      }
      case 'fsync': {
        const n = this.#ino(op.ino);
        n.durable = Buffer.from(n.data);
        return;
      }
      case 'fsyncdir': {
        const d = this.#lookup(op.path);
        d.durableEntries = new Map(d.entries);
        return;
      }
      case 'unlink':
      case 'rmdir': {
        const [d, name] = this.#dir(op.path);
        d.entries.delete(name);
        return;
      }
      case 'rename': {
        const [from, a] = this.#dir(op.from);
        const [to, b] = this.#dir(op.to);
        const n = from.entries.get(a);
        if (!n) throw new RangeError(`rename: ${op.from} does not exist`);
        from.entries.delete(a);
        to.entries.set(b, n);
        return;
      }
    }
  }

  /** What survives a cut now; `extra` adds bytes to a file's durable content (torn, writeback). */
  snapshot(cut: number, variant: Variant, extra: (n: Node, durable: Buffer) => Buffer = (_n, b) => b): CrashState {
    const dirs: string[] = [];
    const files = new Map<string, Buffer>();
    const walk = (d: Node, path: string, depth: number): void => {
      if (depth > 64) throw new RangeError('directory tree deeper than 64');
      for (const [name, n] of d.durableEntries) {
        const p = `${path}/${name}`;
        if (n.kind === 'dir') {
          dirs.push(p);
          walk(n, p, depth + 1);
        } else files.set(p, extra(n, n.durable));
      }
    };
    walk(this.root, '', 0);
    return { cut, variant, dirs, files };
  }

  /** Durable content plus a random half of the pages where the volatile content differs. */
  writeback(n: Node, durable: Buffer, next: () => number): Buffer {
    let out = durable;
    const pages = Math.ceil(n.data.length / PAGE);
    for (let p = 0; p < pages; p++) {
      const a = p * PAGE;
      const b = Math.min(n.data.length, a + PAGE);
      if (out.length >= b && n.data.subarray(a, b).equals(out.subarray(a, b))) continue;
      if (next() < 0.5) out = put(out, a, n.data.subarray(a, b));
    }
    return out;
  }

  /** The node now behind a crashfs inode number (a torn state needs the node of the write in flight). */
  node(ino: number): Node | undefined {
    return this.#live.get(ino);
  }
}

/** Every crash state of a recorded run, cut after each operation, in order. */
export function* crashStates(
  ops: readonly FsOp[],
  o: { readonly seed?: number; readonly writeback?: boolean } = {},
): Generator<CrashState> {
  const disk = new DiskModel();
  const next = random(o.seed ?? 1);
  for (let k = 0; k <= ops.length; k++) {
    yield disk.snapshot(k, 'durable');
    const inFlight = ops[k];
    if (inFlight?.op === 'write' && inFlight.data.length > 1) {
      const target = disk.node(inFlight.ino);
      const cutAt = inFlight.data.length > 1024 ? Math.floor(inFlight.data.length / 2 / 512) * 512 : Math.floor(inFlight.data.length / 2);
      yield disk.snapshot(k, 'torn', (n, b) => (n === target ? put(b, inFlight.off, inFlight.data.subarray(0, cutAt)) : b));
    }
    if (o.writeback !== false) yield disk.snapshot(k, 'writeback', (n, b) => disk.writeback(n, b, next));
    if (inFlight) disk.apply(inFlight);
  }
}

/** Writes a crash state into the empty directory `dir`. */
export async function materialize(state: CrashState, dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const d of state.dirs) await mkdir(join(dir, d), { recursive: true });
  for (const [p, data] of state.files) await writeFile(join(dir, p), data);
}

/** A key for the contents of a state (equal states are checked once). */
export function stateKey(state: CrashState): string {
  const h = createHash('sha256').update([...state.dirs].sort().join('\n'));
  for (const [p, d] of [...state.files].sort(([a], [b]) => (a < b ? -1 : 1))) h.update(`\0${p}\0${d.length}\0`).update(d);
  return h.digest('hex');
}
