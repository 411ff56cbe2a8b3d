/**
 * Commands from facility IT to one reader, signed with the facility command key by the one
 * signer (firmware/facility/commands/sign.ts: `kaoreader.command/2`, for this reader only, with
 * issue time and expiry, published with a matching MQTT 5 message expiry), logged in the
 * commands table (arguments with secrets replaced: a staff password hash never reaches the
 * database or a log) with the reader's reply. Without the command key no command is sent.
 */
import type { KeyObject } from 'node:crypto';
import type { IClientPublishOptions } from 'mqtt';
import { KaoreaderError, TimeoutError } from '../../firmware/core/errors.ts';
import { CommandKeyError } from '../../firmware/facility/commands/command-key.ts';
import { signCommand } from '../../firmware/facility/commands/sign.ts';
import type { Command, CommandReply } from '../../firmware/facility/messages/types.ts';
import type { Clock, TimerHandle } from '../../firmware/ports/clock.ts';
import { writeJob, type CommitQueue } from './commit-queue.ts';

/** The command could not be handed to the broker (the client is closing, the broker refused it): nothing waits for a reply. */
export class CommandNotSentError extends KaoreaderError {
  readonly code = 'COMMAND_NOT_SENT';
  constructor(what: string, options?: { cause?: unknown }) {
    super(`${what}: not sent`, options);
  }
}

/** The arguments as stored in the command log. */
export function loggedArgs(c: Command): string {
  return JSON.stringify(c.command === 'set-staff-password' ? { hash: '[redacted]' } : c.args);
}

export interface CommandSenderOptions {
  readonly facilityId: string;
  /** The facility command key (Ed25519 private); absent: commands are refused here. */
  readonly key: KeyObject | undefined;
  readonly protocolVersion: 4 | 5;
  readonly clock: Clock;
  readonly queue: CommitQueue;
  /** Publishes a command payload to the reader. */
  readonly publish: (readerId: string, payload: Buffer, options: IClientPublishOptions) => Promise<void>;
}

export class CommandSender {
  #replies = new Map<string, (r: CommandReply) => void>();
  constructor(private readonly o: CommandSenderOptions) {}

  /** Signs `command` for `readerId`, sends it and waits for its reply (TimeoutError after `timeoutMs`). */
  async send(readerId: string, command: Command, timeoutMs = 5000, ttlMs?: number): Promise<CommandReply> {
    const { facilityId } = this.o;
    if (!this.o.key)
      throw new CommandKeyError(
        'this facility service has no command key (DIR/facility/command-key.pem of its CA directory): it sends no command',
      );
    const signed = signCommand(command, {
      key: this.o.key,
      facilityId,
      readerId,
      now: this.o.clock.now(),
      ...(ttlMs !== undefined ? { ttlMs } : {}),
    });
    const id = signed.body.id;
    const { job, done } = writeJob((b) =>
      b.commands.push({ id, facilityId, readerId, command: command.command, args: loggedArgs(command), sentAt: this.o.clock.now() }),
    );
    this.o.queue.push(job);
    await done;
    return this.#await(id, timeoutMs, `command ${command.command} to ${readerId}`, () =>
      this.o.publish(readerId, signed.payload, signed.publishOptions(this.o.protocolVersion)),
    );
  }

  async #await(id: string, timeoutMs: number, what: string, publish: () => Promise<void>): Promise<CommandReply> {
    let timer: TimerHandle | undefined;
    const reply = new Promise<CommandReply>((resolve, reject) => {
      timer = this.o.clock.setTimeout(() => {
        this.#replies.delete(id);
        reject(new TimeoutError(what, timeoutMs));
      }, timeoutMs);
      this.#replies.set(id, (r) => {
        timer?.cancel();
        this.#replies.delete(id);
        resolve(r);
      });
    });
    try {
      await publish();
    } catch (err) {
      // Nobody will await `reply`: its timer must never fire (an unhandled rejection ends the process).
      timer?.cancel();
      this.#replies.delete(id);
      throw new CommandNotSentError(what, { cause: err });
    }
    return reply;
  }

  /** A reply arrived: wake the sender and log it. */
  onReply(reply: CommandReply): void {
    this.#replies.get(reply.commandId)?.(reply);
    const { job, done } = writeJob((b) =>
      b.commandReplies.push({
        id: reply.commandId,
        ok: reply.ok,
        reply: JSON.stringify(reply.ok ? (reply.result ?? {}) : (reply.error ?? {})),
        at: this.o.clock.now(),
      }),
    );
    this.o.queue.push(job);
    done.catch(() => undefined); // a failed batch is logged by the commit queue; the reply was delivered
  }
}
