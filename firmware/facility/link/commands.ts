/**
 * Commands from facility IT (`kaoreader.command/1` on `facility/<id>/commands`, which only the
 * facility may publish to). Each is schema-checked, checked against the paired facility id,
 * run through an injected handler, and answered with `kaoreader.command-reply/1`. A refused
 * command changes nothing. A redelivered command (QoS 1) gets its first reply again and is
 * not run twice.
 */
import { KaoreaderError } from '../../core/errors.ts';
import type { Logger } from '../../core/logger.ts';
import { decode } from '../messages/codec.ts';
import type { CommandMessage, CommandReply } from '../messages/types.ts';

/** Receives settings changes; the daemon's settings service implements it. */
export interface SettingsHandler {
  setFacilityName(name: string): Promise<void>;
  setConsentItems(items: readonly string[]): Promise<void>;
  /** Hash and store; the password itself must not be kept or logged. */
  setStaffPassword(password: string): Promise<void>;
}

/** System actions; each optional (absent → `UNSUPPORTED_COMMAND`). */
export interface SystemHandler {
  /** Called after the reply was sent. */
  restart?(reason: string): Promise<void>;
  /** The last `lines` log lines (already redacted). */
  recentLogs?(lines: number): Promise<readonly string[]>;
  checkUpdate?(): Promise<Readonly<Record<string, unknown>>>;
}

export class CommandRejectedError extends KaoreaderError {
  constructor(readonly code: 'UNAUTHORISED' | 'UNSUPPORTED_COMMAND' | 'HANDLER_FAILED', message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

const MAX_LOG_BYTES = 48 * 1024;

export class CommandDispatcher {
  #done = new Map<string, CommandReply>();
  constructor(private readonly o: { facilityId: string; settings: SettingsHandler; system: SystemHandler; log: Logger }) {}

  /** Handles one raw payload; returns the reply to publish and an action to run after it. */
  async handle(payload: Uint8Array): Promise<{ reply: CommandReply; after?: () => Promise<void> }> {
    let cmd: CommandMessage;
    try {
      cmd = decode('kaoreader.command', payload);
    } catch (err) {
      const code = err instanceof KaoreaderError ? err.code : 'MESSAGE_INVALID';
      this.o.log.warn('malformed command refused', { code });
      return { reply: this.#reply(rawId(payload), false, undefined, { code, message: (err as Error).message.slice(0, 400) }) };
    }
    const seen = this.#done.get(cmd.id);
    if (seen) return { reply: seen };
    let result: Record<string, unknown> = {};
    let after: (() => Promise<void>) | undefined;
    try {
      if (cmd.facilityId !== this.o.facilityId) throw new CommandRejectedError('UNAUTHORISED', `command is for facility ${cmd.facilityId}, this reader is paired with another`);
      ({ result, after } = await this.#run(cmd));
    } catch (err) {
      const code = err instanceof KaoreaderError ? err.code : 'HANDLER_FAILED';
      this.o.log.warn('command refused', { command: cmd.command, code });
      return { reply: this.#remember(cmd.id, this.#reply(cmd.id, false, undefined, { code, message: (err as Error).message.slice(0, 400) })) };
    }
    this.o.log.info('command done', { command: cmd.command, id: cmd.id });
    return { reply: this.#remember(cmd.id, this.#reply(cmd.id, true, result)), ...(after ? { after } : {}) };
  }

  async #run(cmd: CommandMessage): Promise<{ result: Record<string, unknown>; after?: () => Promise<void> }> {
    const { settings, system } = this.o;
    const wrap = async <T>(fn: () => Promise<T>): Promise<T> => {
      try {
        return await fn();
      } catch (err) {
        throw new CommandRejectedError('HANDLER_FAILED', `${cmd.command} failed: ${(err as Error).message}`, { cause: err });
      }
    };
    switch (cmd.command) {
      case 'set-facility-name':
        await wrap(() => settings.setFacilityName(cmd.args.name));
        return { result: { name: cmd.args.name } };
      case 'set-consent-items':
        await wrap(() => settings.setConsentItems(cmd.args.items));
        return { result: { items: cmd.args.items } };
      case 'set-staff-password':
        await wrap(() => settings.setStaffPassword(cmd.args.password));
        return { result: { changed: true } };
      case 'restart': {
        const restart = system.restart?.bind(system);
        if (!restart) throw new CommandRejectedError('UNSUPPORTED_COMMAND', 'restart is not available on this reader');
        return { result: { restarting: true }, after: () => restart(cmd.args.reason ?? 'facility command') };
      }
      case 'request-logs': {
        if (!system.recentLogs) throw new CommandRejectedError('UNSUPPORTED_COMMAND', 'logs are not available on this reader');
        const all = await wrap(() => (system.recentLogs as NonNullable<SystemHandler['recentLogs']>)(cmd.args.lines ?? 200));
        return { result: { lines: newestWithin(all, MAX_LOG_BYTES) } };
      }
      case 'check-update': {
        if (!system.checkUpdate) throw new CommandRejectedError('UNSUPPORTED_COMMAND', 'no update agent on this reader');
        return { result: { ...(await wrap(() => (system.checkUpdate as NonNullable<SystemHandler['checkUpdate']>)())) } };
      }
    }
  }

  #reply(commandId: string, ok: boolean, result?: Record<string, unknown>, error?: { code: string; message: string }): CommandReply {
    return { schema: 'kaoreader.command-reply/1', commandId, ok, ...(result ? { result } : {}), ...(error ? { error } : {}) };
  }

  #remember(id: string, reply: CommandReply): CommandReply {
    this.#done.set(id, reply);
    if (this.#done.size > 200) this.#done.delete(this.#done.keys().next().value as string);
    return reply;
  }
}

/** The newest lines whose total length (with newlines) fits in `budget` characters. */
function newestWithin(lines: readonly string[], budget: number): string[] {
  let used = 0;
  let from = lines.length;
  while (from > 0) {
    const next = (lines[from - 1] ?? '').length + 1;
    if (used + next > budget) break;
    used += next;
    from -= 1;
  }
  return lines.slice(from);
}

/** The command id of a payload that failed validation, when one can be read. */
function rawId(payload: Uint8Array): string {
  try {
    const v = JSON.parse(Buffer.from(payload).toString('utf8')) as { id?: unknown };
    return typeof v.id === 'string' && v.id.length <= 64 ? v.id : 'unknown';
  } catch {
    return 'unknown';
  }
}
