/**
 * Error codes are a closed union: the `@ts-expect-error` lines below fail `tsc` (an unused
 * directive is an error) the day codes become free strings again. The runtime tests check the
 * list itself: no duplicates, and no code that nothing in the source tree raises or names.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { ERROR_CODES, isErrorCode, type ErrorCode } from '../../../firmware/core/error-codes.ts';
import { KaoreaderError } from '../../../firmware/core/errors.ts';
import { errorCodeOrInternal } from '../../../firmware/visit/errors.ts';

const ROOT = join(import.meta.dirname, '../../..');

export class BogusError extends KaoreaderError {
  // @ts-expect-error -- a class may not raise a code that is not in the list
  readonly code = 'NO_SUCH_CODE';
}

export function checksOnlyKnownCodes(err: unknown): boolean {
  // @ts-expect-error -- comparing with a code nothing raises (face raises FACE_BUDGET_EXCEEDED)
  return errorCodeOrInternal(err) === 'BUDGET_EXCEEDED';
}

export const MAPPING: Partial<Record<ErrorCode, string>> = {
  TIMEOUT: 'timeout',
  // @ts-expect-error -- a mapping may not name a code that does not exist
  TLV_MALFORMED: 'card-unreadable',
};

test('every code is listed once', () => {
  assert.is(new Set(ERROR_CODES).size, ERROR_CODES.length);
  assert.ok(isErrorCode('CARD_REMOVED'));
  assert.not.ok(isErrorCode('STATUS_WORD'));
});

async function sources(dir: string, out: string[] = []): Promise<string[]> {
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) await sources(p, out);
    else if (e.name.endsWith('.ts')) out.push(p);
  }
  return out;
}

test('every listed code is raised or named somewhere outside the list (none is dead)', async () => {
  const files = (
    await Promise.all(['firmware', 'facility', 'ota', 'cli', 'hardware-sim', 'tools'].map((d) => sources(join(ROOT, d))))
  ).flat();
  const text = (
    await Promise.all(files.filter((f) => relative(ROOT, f) !== 'firmware/core/error-codes.ts').map((f) => readFile(f, 'utf8')))
  ).join('\n');
  const dead = ERROR_CODES.filter((c) => !new RegExp(`\\b${c}\\b`).test(text));
  assert.equal(dead, []);
});

test.run();
