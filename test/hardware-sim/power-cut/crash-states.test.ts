/** The disk model the power-cut tests replay into: strict POSIX, checked on small hand-made logs. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { crashStates, type CrashState } from '../../../hardware-sim/power-cut/crash-states.ts';
import { parseOpLog, OpLogError, type FsOp } from '../../../hardware-sim/power-cut/op-log.ts';

const b64 = (s: string): string => Buffer.from(s).toString('base64');
const log = (...ops: object[]): FsOp[] => parseOpLog(ops.map((o, i) => JSON.stringify({ ...o, seq: i + 1 })).join('\n') + '\n');
const at = (ops: FsOp[], cut: number, variant: CrashState['variant'] = 'durable'): CrashState | undefined =>
  [...crashStates(ops, { seed: 3 })].find((s) => s.cut === cut && s.variant === variant);
const file = (s: CrashState | undefined, p: string): string | undefined => s?.files.get(p)?.toString('latin1');

const made = [
  { op: 'mkdir', path: '/d', ino: 2 },
  { op: 'fsyncdir', path: '/' },
  { op: 'create', path: '/d/f', ino: 3 },
];

test('a name is durable only once its directory is synced', () => {
  const ops = log(...made, { op: 'fsyncdir', path: '/d' });
  assert.equal(at(ops, 1)?.dirs, [], 'mkdir alone');
  assert.equal(at(ops, 2)?.dirs, ['/d']);
  assert.is(file(at(ops, 3), '/d/f'), undefined, 'created, directory not synced');
  assert.is(file(at(ops, 4), '/d/f'), '');
});

test('an unsynced write is dropped; fsync keeps it; an O_DSYNC write keeps only its own bytes (zeros before)', () => {
  const ops = log(
    ...made,
    { op: 'fsyncdir', path: '/d' },
    { op: 'write', ino: 3, off: 0, data: b64('lazy'), sync: false },
    { op: 'write', ino: 3, off: 4, data: b64('SYNC'), sync: true },
    { op: 'fsync', ino: 3 },
  );
  assert.is(file(at(ops, 5), '/d/f'), '', 'unsynced write dropped');
  assert.is(file(at(ops, 6), '/d/f'), '\0\0\0\0SYNC', 'the hole reads as zeros');
  assert.is(file(at(ops, 7), '/d/f'), 'lazySYNC');
});

test('torn: part of the write in flight; renames and unlinks wait for the directory sync', () => {
  const ops = log(
    ...made,
    { op: 'fsyncdir', path: '/d' },
    { op: 'write', ino: 3, off: 0, data: b64('abcdefgh'), sync: true },
    { op: 'rename', from: '/d/f', to: '/d/g' },
    { op: 'fsyncdir', path: '/d' },
    { op: 'unlink', path: '/d/g' },
  );
  assert.is(file(at(ops, 4, 'torn'), '/d/f'), 'abcd');
  assert.is(file(at(ops, 6), '/d/f'), 'abcdefgh', 'rename not yet durable');
  assert.is(file(at(ops, 7), '/d/g'), 'abcdefgh');
  assert.is(file(at(ops, 8), '/d/g'), 'abcdefgh', 'unlink not yet durable');
});

test('a bad op log line is a typed error', () => {
  assert.throws(
    () => parseOpLog('{"seq":1,"op":"chmod","path":"/x"}\n'),
    (e: unknown) => e instanceof OpLogError,
  );
  assert.throws(
    () => parseOpLog('{"seq":2,"op":"fsync","ino":1}\n'),
    (e: unknown) => e instanceof OpLogError && /expected 1/.test(e.message),
  );
});

test.run();
