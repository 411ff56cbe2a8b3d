/**
 * Commands from facility IT (`kaoreader.command/2` on `facility/<id>/commands`, which only the
 * facility may publish to). Each must be signed by the facility command key this reader pinned
 * at pairing, for this reader and facility, within its validity (commands/verify.ts), and not
 * seen before (the persisted replay window, written before the command runs); it is then run
 * through an injected handler and answered with `kaoreader.command-reply/1`. A refused command
 * changes nothing. A redelivered command (QoS 1) gets its first reply again and is not run
 * twice; after a restart it is refused as REPLAYED.
 */
import type { KeyObject } from 'node:crypto';
import { KaoreaderError } from '../../core/errors.ts';
import type { Logger } from '../../core/logger.ts';
import type { StaffPasswordHash } from '../../core/staff-password-hash.ts';
import type { Clock } from '../../ports/clock.ts';
import type { Store } from '../../ports/store.ts';
import { CommandRefusedError } from '../commands/errors.ts';
import { ReplayWindow } from '../commands/replay-window.ts';
import { verifyCommand } from '../commands/verify.ts';
import type { CommandBody, CommandReply } from '../messages/types.ts';
import { unverifiedCommandId } from '../messages/unverified-id.ts';

/** Receives settings changes; the daemon's settings service implements it. */
export interface SettingsHandler {
  setFacilityName(name: string): Promise<void>;
  /** Store the slow hash the facility made (the password itself never reaches the reader). */
  setStaffPasswordHash(hash: StaffPasswordHash): Promise<void>;
}

/** The pinned facility command key and the durable store of the replay window. */
export interface CommandTrust {
  readonly key: KeyObject;
  readonly window: Store;
}

/** System actions; each optional (absent → `UNSUPPORTED_COMMAND`). */
export interface SystemHandler {
  /** Called once, after the reply was sent (or failed to be: the command ran either way). */
  restart?(reason: string): Promise<void>;
  /** The last `lines` log lines (already redacted). */
  recentLogs?(lines: number): Promise<readonly string[]>;
  checkUpdate?(): Promise<Readonly<Record<string, unknown>>>;
}

export class CommandRejectedError extends KaoreaderError {
  constructor(
    readonly code: 'UNAUTHORISED' | 'UNSUPPORTED_COMMAND' | 'HANDLER_FAILED',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const MAX_LOG_BYTES = 48 * 1024;

export interface CommandDispatcherOptions {
  readonly readerId: string;
  readonly facilityId: string;
  /** Absent on a reader with no pinned command key: every command is refused (NO_COMMAND_KEY). */
  readonly trust?: CommandTrust | undefined;
  readonly settings: SettingsHandler;
  readonly system: SystemHandler;
  readonly clock: Pick<Clock, 'now'>;
  readonly log: Logger;
}

export class CommandDispatcher {
  #done = new Map<string, CommandReply>();
  readonly #window: ReplayWindow | undefined;
  constructor(private readonly o: CommandDispatcherOptions) {
    this.#window = o.trust ? new ReplayWindow(o.trust.window) : undefined;
  }

  /**
   * Handles one raw payload, sends its reply with `send`, then runs its after-action (a restart)
   * even when the reply could not be sent: the command ran, and a redelivery only gets the same
   * reply, so an action skipped now would never run. Rejects with `send`'s error.
   */
  async answer(payload: Uint8Array, send: (reply: CommandReply) => Promise<void>): Promise<void> {
    const { reply, after } = await this.handle(payload);
    try {
      await send(reply);
    } finally {
      if (after) await after();
    }
  }

  /** Handles one raw payload; returns the reply to publish and an action to run after it. */
  async handle(payload: Uint8Array): Promise<{ reply: CommandReply; after?: () => Promise<void> }> {
    let cmd: CommandBody;
    const now = this.o.clock.now();
    try {
      if (!this.o.trust || !this.#window)
        throw new CommandRefusedError('NO_COMMAND_KEY', 'this reader has no pinned facility command key: pair it first');
      cmd = verifyCommand(payload, { key: this.o.trust.key, facilityId: this.o.facilityId, readerId: this.o.readerId, now });
      const first = this.#done.get(cmd.id);
      if (first) return { reply: first }; // a QoS 1 redelivery: the same answer, not a second run
      await this.#window.admit(cmd.id, Date.parse(cmd.expiresAt), now);
    } catch (err) {
      const code = err instanceof KaoreaderError ? err.code : 'MESSAGE_INVALID';
      this.o.log.warn('command refused', { code });
      const id = unverifiedCommandId(payload) ?? 'unknown'; // 'unknown': nothing to label the reply with
      return { reply: this.#reply(id, false, undefined, { code, message: (err as Error).message.slice(0, 400) }) };
    }
    let result: Record<string, unknown> = {};
    let after: (() => Promise<void>) | undefined;
    try {
      ({ result, after } = await this.#run(cmd));
    } catch (err) {
      const code = err instanceof KaoreaderError ? err.code : 'HANDLER_FAILED';
      this.o.log.warn('command failed', { command: cmd.command, code });
      return {
        reply: this.#remember(cmd.id, this.#reply(cmd.id, false, undefined, { code, message: (err as Error).message.slice(0, 400) })),
      };
    }
    this.o.log.info('command done', { command: cmd.command, id: cmd.id });
    return { reply: this.#remember(cmd.id, this.#reply(cmd.id, true, result)), ...(after ? { after } : {}) };
  }

  async #run(cmd: CommandBody): Promise<{ result: Record<string, unknown>; after?: () => Promise<void> }> {
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
      case 'set-staff-password':
        await wrap(() => settings.setStaffPasswordHash(cmd.args.hash));
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
