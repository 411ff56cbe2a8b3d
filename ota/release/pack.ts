/**
 * Writes a gzip'd tar of files from a directory tree (plus in-memory extra files such as the
 * manifest, written first). File contents are streamed, never held whole in memory.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { lstat, readlink } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { END_OF_ARCHIVE, TarError, dataPadding, headerBlocks } from './tar.ts';

export interface PackInput {
  /** Where each file comes from and its path in the archive ('/'-separated). */
  readonly files: readonly { readonly rel: string; readonly abs: string }[];
  /** Extra files, written before the others (`manifest.json`). */
  readonly extra?: readonly { readonly path: string; readonly data: Buffer }[];
  readonly level?: number;
}

async function* entries(input: PackInput): AsyncGenerator<Buffer> {
  for (const x of input.extra ?? []) {
    yield headerBlocks({ path: x.path, type: 'file', mode: 0o644, size: x.data.length });
    yield x.data;
    yield dataPadding(x.data.length);
  }
  for (const { rel, abs } of input.files) {
    const st = await lstat(abs);
    if (st.isSymbolicLink()) {
      yield headerBlocks({ path: rel, type: 'symlink', mode: 0o777, size: 0, linkname: await readlink(abs) });
    } else if (st.isFile()) {
      yield headerBlocks({ path: rel, type: 'file', mode: st.mode, size: st.size });
      let n = 0;
      for await (const chunk of createReadStream(abs)) {
        n += (chunk as Buffer).length;
        yield chunk as Buffer;
      }
      if (n !== st.size) throw new TarError(`${abs} changed size while packing`);
      yield dataPadding(st.size);
    } else throw new TarError(`${abs} is neither a file nor a symlink`);
  }
  yield END_OF_ARCHIVE;
}

export async function packTarGz(input: PackInput, outFile: string): Promise<void> {
  await pipeline(Readable.from(entries(input)), createGzip({ level: input.level ?? 6 }), createWriteStream(outFile, { mode: 0o644 }));
}
