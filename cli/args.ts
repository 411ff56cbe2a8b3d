/** Thin wrapper over node:util parseArgs that turns its errors into a usage error. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { KaoreaderError } from '../firmware/core/errors.ts';

export class UsageError extends KaoreaderError {
  readonly code = 'USAGE';
}

export function parse<T extends NonNullable<ParseArgsConfig['options']>>(argv: readonly string[], options: T, allowPositionals = false): ReturnType<typeof parseArgs<{ options: T; allowPositionals: boolean; args: string[] }>> {
  try {
    return parseArgs({ args: [...argv], options, allowPositionals, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message, { cause: err });
  }
}
