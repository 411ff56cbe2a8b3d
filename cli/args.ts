/** Thin wrapper over node:util parseArgs that turns its errors into a usage error. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { KaoreaderError } from '../firmware/core/errors.ts';

export class UsageError extends KaoreaderError {
  readonly code = 'USAGE';
}

export function parse<T extends NonNullable<ParseArgsConfig['options']>>(
  argv: readonly string[],
  options: T,
  allowPositionals = false,
): ReturnType<typeof parseArgs<{ options: T; allowPositionals: boolean; args: string[] }>> {
  try {
    return parseArgs({ args: [...argv], options, allowPositionals, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message, { cause: err });
  }
}

/** `HOST:PORT` (vpcd's socket, a broker) as host and port; a UsageError otherwise. */
export function hostPort(text: string): { host: string; port: number } {
  const m = /^([^:]+):(\d{1,5})$/.exec(text);
  const port = Number(m?.[2]);
  if (!m?.[1] || !Number.isInteger(port) || port < 1 || port > 65535) throw new UsageError(`"${text}" is not HOST:PORT`);
  return { host: m[1], port };
}
