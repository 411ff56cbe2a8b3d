/**
 * Loads a certified reader maker's 特定機関認証 plug-in (`card.terminalAuthenticator.module`). The
 * contract (docs/card.md): an ES module exporting
 *   createTerminalAuthenticator({ options, log }): TerminalAuthenticator | Promise<TerminalAuthenticator>
 * where `options` is the config's `card.terminalAuthenticator.options` as is (where the maker's
 * credentials live: a key file, an HSM slot…) and the returned object follows the
 * TerminalAuthenticator semantics in terminal-auth.ts. Loaded once, at the composition root.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError, DeviceUnavailableError } from '../../core/errors.ts';
import type { Logger } from '../../core/logger.ts';
import type { TerminalAuthenticator } from './terminal-auth.ts';

export interface TerminalAuthenticatorPluginContext {
  readonly options: Readonly<Record<string, unknown>>;
  readonly log: Logger;
}

function isAuthenticator(x: unknown): x is TerminalAuthenticator {
  const a = x as { kind?: unknown; authenticate?: unknown } | null;
  return a !== null && typeof a === 'object' && typeof a.kind === 'string' && a.kind.length > 0 && typeof a.authenticate === 'function';
}

export async function loadTerminalAuthenticator(
  modulePath: string,
  context: TerminalAuthenticatorPluginContext,
  source = 'card.terminalAuthenticator',
): Promise<TerminalAuthenticator> {
  let mod: unknown;
  try {
    mod = await import(pathToFileURL(resolve(modulePath)).href);
  } catch (err) {
    throw new DeviceUnavailableError(
      `terminal authenticator plug-in ${modulePath}`,
      "install the reader maker's 特定機関認証 module, or set card.terminalAuthenticator.kind to none",
      { cause: err },
    );
  }
  const create = (mod as { createTerminalAuthenticator?: unknown }).createTerminalAuthenticator;
  if (typeof create !== 'function') throw new ConfigError(source, [`${modulePath} does not export createTerminalAuthenticator()`]);
  const made: unknown = await (create as (c: TerminalAuthenticatorPluginContext) => unknown)(context);
  if (!isAuthenticator(made))
    throw new ConfigError(source, [`${modulePath}: createTerminalAuthenticator() did not return { kind, authenticate(session) }`]);
  return made;
}
