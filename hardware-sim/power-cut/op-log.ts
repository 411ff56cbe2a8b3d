/**
 * crashfs.py's operation log: one JSON object per line, numbered by `seq` from 1. Parsed and
 * checked here; a line that is not one of these is a typed error, never skipped.
 */
import { KaoreaderError } from '../../firmware/core/errors.ts';

export type FsOp =
  | { readonly seq: number; readonly op: 'create' | 'mkdir'; readonly path: string; readonly ino: number }
  | {
      readonly seq: number;
      readonly op: 'write';
      readonly ino: number;
      readonly off: number;
      readonly data: Buffer;
      readonly sync: boolean;
    }
  | { readonly seq: number; readonly op: 'truncate'; readonly ino: number; readonly size: number }
  | { readonly seq: number; readonly op: 'fsync'; readonly ino: number }
  | { readonly seq: number; readonly op: 'fsyncdir' | 'unlink' | 'rmdir'; readonly path: string }
  | { readonly seq: number; readonly op: 'rename'; readonly from: string; readonly to: string };

export class OpLogError extends KaoreaderError {
  readonly code = 'OP_LOG_INVALID';
}

const int = (v: unknown, what: string, line: number): number => {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0)
    throw new OpLogError(`op log line ${line}: ${what} is not a non-negative integer`);
  return v;
};
const str = (v: unknown, what: string, line: number): string => {
  if (typeof v !== 'string' || !v.startsWith('/')) throw new OpLogError(`op log line ${line}: ${what} is not an absolute path`);
  return v;
};

export function parseOpLog(text: string): FsOp[] {
  const ops: FsOp[] = [];
  const lines = text.split('\n');
  for (const [i, l] of lines.entries()) {
    if (l === '' && i === lines.length - 1) break;
    const n = i + 1;
    let o: Record<string, unknown>;
    try {
      o = JSON.parse(l) as Record<string, unknown>;
    } catch (err) {
      throw new OpLogError(`op log line ${n}: not JSON`, { cause: err });
    }
    const seq = int(o['seq'], 'seq', n);
    if (seq !== ops.length + 1) throw new OpLogError(`op log line ${n}: seq ${seq}, expected ${ops.length + 1}`);
    switch (o['op']) {
      case 'create':
      case 'mkdir':
        ops.push({ seq, op: o['op'], path: str(o['path'], 'path', n), ino: int(o['ino'], 'ino', n) });
        break;
      case 'write':
        ops.push({
          seq,
          op: 'write',
          ino: int(o['ino'], 'ino', n),
          off: int(o['off'], 'off', n),
          data: Buffer.from(String(o['data']), 'base64'),
          sync: o['sync'] === true,
        });
        break;
      case 'truncate':
        ops.push({ seq, op: 'truncate', ino: int(o['ino'], 'ino', n), size: int(o['size'], 'size', n) });
        break;
      case 'fsync':
        ops.push({ seq, op: 'fsync', ino: int(o['ino'], 'ino', n) });
        break;
      case 'fsyncdir':
      case 'unlink':
      case 'rmdir':
        ops.push({ seq, op: o['op'], path: str(o['path'], 'path', n) });
        break;
      case 'rename':
        ops.push({ seq, op: 'rename', from: str(o['from'], 'from', n), to: str(o['to'], 'to', n) });
        break;
      default:
        throw new OpLogError(`op log line ${n}: unknown op ${JSON.stringify(o['op'])}`);
    }
  }
  return ops;
}
