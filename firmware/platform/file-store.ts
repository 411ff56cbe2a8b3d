/**
 * Durable key-value store: one JSON file per key under a directory. `set` writes a temporary
 * file, fsyncs it, renames it over the old one and fsyncs the directory, so a power cut
 * leaves the old or the new value. Keys are restricted to a safe alphabet.
 */
import { open, readFile, rename, rm, mkdir } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { KaoreaderError } from '../core/errors.ts';
import type { Store } from '../ports/store.ts';

export class StoreError extends KaoreaderError {
  readonly code = 'STORE';
}

const KEY = /^[a-z0-9][a-z0-9._-]{0,120}$/i;

export async function fsyncDir(dir: string): Promise<void> {
  const fd = await open(dir, 'r');
  try {
    await fd.sync();
  } finally {
    await fd.close();
  }
}

/**
 * `mkdir -p` whose result survives a power cut: every directory it creates is named in a parent
 * that is fsync'd afterwards (a new directory's name is durable only then, like a file's).
 */
export async function mkdirDurable(dir: string, mode = 0o700): Promise<void> {
  const first = await mkdir(dir, { recursive: true, mode });
  if (first === undefined) return;
  const made = resolve(dir);
  // From the parent of the first directory made down to the parent of the last one.
  for (let d = dirname(resolve(first)), guard = 0; guard < 256; guard++) {
    await fsyncDir(d);
    if (d === dirname(made)) return;
    d = join(d, relative(d, made).split(sep)[0] ?? '');
  }
}

/** Atomically replaces `path` with `data` (temp file + fsync + rename + directory fsync). */
export async function writeFileAtomic(dir: string, name: string, data: string | Uint8Array): Promise<void> {
  const tmp = join(dir, `.${name}.${process.pid}.tmp`);
  const fd = await open(tmp, 'w', 0o600);
  try {
    await fd.writeFile(data);
    await fd.sync();
  } finally {
    await fd.close();
  }
  await rename(tmp, join(dir, name));
  await fsyncDir(dir);
}

export class FileStore implements Store {
  #ready: Promise<void> | undefined;
  constructor(readonly dir: string) {}

  #init(): Promise<void> {
    this.#ready ??= mkdirDurable(this.dir);
    return this.#ready;
  }

  #path(key: string): string {
    if (!KEY.test(key)) throw new StoreError(`invalid store key ${JSON.stringify(key)}`);
    return join(this.dir, `${key}.json`);
  }

  async get<T>(key: string): Promise<T | undefined> {
    const path = this.#path(key);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new StoreError(`cannot read ${path}`, { cause: err });
    }
    try {
      return JSON.parse(text) as T;
    } catch (err) {
      throw new StoreError(`${path} is corrupt (not JSON)`, { cause: err });
    }
  }

  async set(key: string, value: unknown): Promise<void> {
    this.#path(key);
    await this.#init();
    await writeFileAtomic(this.dir, `${key}.json`, JSON.stringify(value));
  }

  async delete(key: string): Promise<void> {
    await rm(this.#path(key), { force: true });
    await this.#init();
    await fsyncDir(this.dir);
  }
}
