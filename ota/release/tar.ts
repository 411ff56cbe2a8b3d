/**
 * A small POSIX tar (ustar + pax long names) writer and a streaming, validating extractor,
 * enough for release bundles and npm package tarballs. Only regular files, directories and
 * symlinks; anything else, absolute paths, `..`, links that leave the destination, any write
 * through a symlink (safe-path.ts), or more entries/bytes than allowed are a TarError.
 * Extraction never buffers a whole file.
 */
import { constants } from 'node:fs';
import { mkdir, open, symlink, type FileHandle } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve, sep } from 'node:path';
import { assertLinkTargetInside, assertNoLinkOnTheWay, assertNotALink } from './safe-path.ts';
import { TarError } from './tar-error.ts';

export { TarError };

/** O_CREAT | O_EXCL | O_NOFOLLOW: a new regular file, never an existing one or a link. */
const NEW_FILE = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

export type EntryType = 'file' | 'dir' | 'symlink';
export interface TarEntryHeader {
  readonly path: string;
  readonly type: EntryType;
  readonly mode: number;
  readonly size: number;
  readonly linkname?: string;
}

const BLOCK = 512;
const TYPE_CODE: Record<EntryType, string> = { file: '0', dir: '5', symlink: '2' };

function octal(n: number, width: number): string {
  return `${n.toString(8).padStart(width - 1, '0')}\0`;
}

function paxRecords(fields: Record<string, string>): Buffer {
  let out = '';
  for (const [k, v] of Object.entries(fields)) {
    const body = ` ${k}=${v}\n`;
    let len = Buffer.byteLength(body) + 1;
    while (String(len).length + Buffer.byteLength(body) !== len) len = String(len).length + Buffer.byteLength(body);
    out += `${len}${body}`;
  }
  return Buffer.from(out);
}

function rawHeader(name: string, type: string, mode: number, size: number, linkname: string): Buffer {
  const h = Buffer.alloc(BLOCK);
  h.write(name, 0, 100);
  h.write(octal(mode & 0o7777, 8), 100);
  h.write(octal(0, 8), 108);
  h.write(octal(0, 8), 116);
  h.write(octal(size, 12), 124);
  h.write(octal(0, 12), 136);
  h.write(type, 156);
  h.write(linkname, 157, 100);
  h.write('ustar\0', 257);
  h.write('00', 263);
  h.fill(' ', 148, 156);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return h;
}

function padding(size: number): Buffer {
  return Buffer.alloc((BLOCK - (size % BLOCK)) % BLOCK);
}

/** The header block(s) for one entry (a pax header first when a name does not fit ustar). */
export function headerBlocks(e: TarEntryHeader): Buffer {
  const link = e.linkname ?? '';
  const long: Record<string, string> = {};
  if (Buffer.byteLength(e.path) > 99) long['path'] = e.path;
  if (Buffer.byteLength(link) > 99) long['linkpath'] = link;
  const parts: Buffer[] = [];
  if (Object.keys(long).length > 0) {
    const body = paxRecords(long);
    parts.push(rawHeader('PaxHeader', 'x', 0o644, body.length, ''), body, padding(body.length));
  }
  parts.push(
    rawHeader(
      Buffer.from(e.path).subarray(0, 99).toString('latin1'),
      TYPE_CODE[e.type],
      e.mode,
      e.type === 'file' ? e.size : 0,
      Buffer.from(link).subarray(0, 99).toString('latin1'),
    ),
  );
  return Buffer.concat(parts);
}

export function dataPadding(size: number): Buffer {
  return padding(size);
}

export const END_OF_ARCHIVE = Buffer.alloc(BLOCK * 2);

function cstr(b: Buffer, start: number, len: number): string {
  const s = b.subarray(start, start + len);
  const z = s.indexOf(0);
  return (z === -1 ? s : s.subarray(0, z)).toString('utf8');
}

function parseOctal(b: Buffer, start: number, len: number, what: string): number {
  const s = cstr(b, start, len).trim();
  if (s === '') return 0;
  if (!/^[0-7]+$/.test(s)) throw new TarError(`bad ${what} field in tar header`);
  return parseInt(s, 8);
}

function parsePax(body: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let i = 0;
  for (let guard = 0; i < body.length && guard < 1000; guard++) {
    const sp = body.indexOf(0x20, i);
    const len = Number(body.subarray(i, sp).toString());
    if (sp < 0 || !Number.isInteger(len) || len <= 0 || i + len > body.length) throw new TarError('bad pax record');
    const rec = body.subarray(sp + 1, i + len - 1).toString('utf8');
    const eq = rec.indexOf('=');
    if (eq > 0) out[rec.slice(0, eq)] = rec.slice(eq + 1);
    i += len;
  }
  return out;
}

/** An entry whose path is already taken (EEXIST, or ELOOP for a symlink under O_NOFOLLOW) is refused, never overwritten. */
const taken =
  (rel: string) =>
  (err: unknown): never => {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' || code === 'ELOOP')
      throw new TarError(`${rel} exists already in the archive (a file, a directory or a symlink)`, { cause: err });
    throw err;
  };

export interface ExtractOptions {
  /** Leading path components to drop (`package/` in npm tarballs). */
  readonly strip?: number;
  readonly maxEntries?: number;
  readonly maxBytes?: number;
  /** Called before each entry is written (progress, or a check that may throw). */
  readonly onEntry?: (e: TarEntryHeader, index: number) => void;
}

function safeRelative(p: string, strip: number): string | undefined {
  const parts = p
    .replace(/\\/g, '/')
    .split('/')
    .filter((x) => x !== '' && x !== '.');
  if (p.startsWith('/') || isAbsolute(p)) throw new TarError(`absolute path in archive: ${p}`);
  if (parts.includes('..')) throw new TarError(`path with .. in archive: ${p}`);
  const kept = parts.slice(strip);
  return kept.length === 0 ? undefined : kept.join('/');
}

/** Streams a (decompressed) tar into `dest`. Returns the number of entries written. */
export async function extractTar(source: AsyncIterable<Buffer>, dest: string, opts: ExtractOptions = {}): Promise<number> {
  const maxEntries = opts.maxEntries ?? 200_000;
  const maxBytes = opts.maxBytes ?? 4 * 1024 ** 3;
  const root = resolve(dest);
  let buf: Buffer = Buffer.alloc(0);
  let pax: Record<string, string> = {};
  let longName: string | undefined;
  let file: FileHandle | undefined;
  let remaining = 0;
  let skipPad = 0;
  let collecting: { kind: 'x' | 'L' | 'g'; size: number; parts: Buffer[] } | undefined;
  let count = 0;
  let total = 0;
  let ended = false;
  try {
    for await (const chunk of source) {
      buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
      for (let guard = 0; guard < 1_000_000; guard++) {
        if (ended) break;
        if (remaining > 0) {
          if (buf.length === 0) break;
          const take = buf.subarray(0, Math.min(remaining, buf.length));
          if (file) await file.write(take);
          else if (collecting) collecting.parts.push(Buffer.from(take));
          remaining -= take.length;
          buf = buf.subarray(take.length);
          if (remaining > 0) break;
          if (file) {
            await file.close();
            file = undefined;
          }
          if (collecting) {
            const body = Buffer.concat(collecting.parts);
            if (collecting.kind === 'x') pax = parsePax(body);
            else if (collecting.kind === 'L') longName = cstr(body, 0, body.length);
            collecting = undefined;
          }
          continue;
        }
        if (skipPad > 0) {
          const take = Math.min(skipPad, buf.length);
          buf = buf.subarray(take);
          skipPad -= take;
          if (skipPad > 0) break;
          continue;
        }
        if (buf.length < BLOCK) break;
        const h = buf.subarray(0, BLOCK);
        buf = buf.subarray(BLOCK);
        if (h.every((b) => b === 0)) {
          ended = true;
          break;
        }
        let sum = 0;
        for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : (h[i] as number);
        if (sum !== parseOctal(h, 148, 8, 'checksum')) throw new TarError('tar header checksum mismatch');
        const typeflag = String.fromCharCode(h[156] as number);
        const size = parseOctal(h, 124, 12, 'size');
        if (size > maxBytes) throw new TarError(`tar entry of ${size} bytes exceeds the limit`);
        if (typeflag === 'x' || typeflag === 'g' || typeflag === 'L') {
          if (size > 1024 * 1024) throw new TarError('tar extended header too large');
          collecting = { kind: typeflag, size, parts: [] };
          remaining = size;
          skipPad = padding(size).length;
          if (size === 0) collecting = undefined;
          continue;
        }
        const prefix = cstr(h, 345, 155);
        const rawName = pax['path'] ?? longName ?? (prefix ? `${prefix}/${cstr(h, 0, 100)}` : cstr(h, 0, 100));
        const linkname = pax['linkpath'] ?? cstr(h, 157, 100);
        pax = {};
        longName = undefined;
        const type: EntryType | undefined =
          typeflag === '0' || typeflag === '\0' || typeflag === '7'
            ? 'file'
            : typeflag === '5'
              ? 'dir'
              : typeflag === '2'
                ? 'symlink'
                : undefined;
        if (!type) throw new TarError(`unsupported tar entry type ${JSON.stringify(typeflag)} for ${rawName}`);
        if (++count > maxEntries) throw new TarError(`archive has more than ${maxEntries} entries`);
        total += size;
        if (total > maxBytes) throw new TarError(`archive expands beyond ${maxBytes} bytes`);
        const rel = safeRelative(rawName, opts.strip ?? 0);
        const mode = parseOctal(h, 100, 8, 'mode');
        const entry: TarEntryHeader = {
          path: rel ?? '',
          type,
          mode,
          size: type === 'file' ? size : 0,
          ...(type === 'symlink' ? { linkname } : {}),
        };
        if (rel !== undefined) opts.onEntry?.(entry, count);
        const target = join(root, rel ?? '');
        if (rel !== undefined && !(target + sep).startsWith(root + sep)) throw new TarError(`path escapes destination: ${rawName}`);
        if (rel !== undefined) await assertNoLinkOnTheWay(root, rel);
        if (rel !== undefined && type === 'dir') {
          await assertNotALink(root, rel);
          await mkdir(target, { recursive: true, mode: 0o755 });
        } else if (rel !== undefined && type === 'symlink') {
          assertLinkTargetInside(rel, linkname);
          await mkdir(dirname(target), { recursive: true, mode: 0o755 });
          await symlink(linkname, target).catch(taken(rel));
        } else if (rel !== undefined && type === 'file') {
          await mkdir(dirname(target), { recursive: true, mode: 0o755 });
          file = await open(target, NEW_FILE, mode & 0o111 ? 0o755 : 0o644).catch(taken(rel));
        }
        if (type === 'file') {
          remaining = size;
          skipPad = padding(size).length;
          if (size === 0 && file) {
            await file.close();
            file = undefined;
          }
        }
      }
      if (ended) break;
    }
    if (!ended) throw new TarError('archive ended before its end-of-archive blocks (truncated)');
    return count;
  } finally {
    await file?.close();
  }
}
