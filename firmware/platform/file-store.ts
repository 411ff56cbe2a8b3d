/**
 * Durable key-value store: one JSON file per key under a directory. `set` writes a temporary
 * file, fsyncs it, renames it over the old one and fsyncs the directory, so a power cut
 * leaves the old or the new value. Keys are restricted to a safe alphabet.
 */
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { KaoreaderError } from '../core/errors.ts';
import { fsyncDir, mkdirDurable, writeFileAtomic } from '../core/fs.ts';
import type { Store } from '../ports/store.ts';

export class StoreError extends KaoreaderError {
  readonly code = 'STORE';
}

const KEY = /^[a-z0-9][a-z0-9._-]{0,120}$/i;

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
    await writeFileAtomic(join(this.dir, `${key}.json`), JSON.stringify(value));
  }

  async delete(key: string): Promise<void> {
    await rm(this.#path(key), { force: true });
    await this.#init();
    await fsyncDir(this.dir);
  }
}
