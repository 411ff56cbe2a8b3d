/**
 * Commands from facility IT to one reader (`kaoreader.command/1`), logged in the commands table
 * (arguments with secrets replaced: a staff password never reaches the database or a log) with
 * the reader's reply. The payload is made in one place, `sealCommand`, where the facility
 * command signature goes (security issue #14).
 */
import { TimeoutError } from '../../firmware/core/errors.ts';
import { uuidv7 } from '../../firmware/core/uuidv7.ts';
import { encode } from '../../firmware/facility/messages/codec.ts';
import type { Command, CommandMessage, CommandReply } from '../../firmware/facility/messages/types.ts';
import type { Clock } from '../../firmware/ports/clock.ts';
import { writeJob, type CommitQueue } from './commit-queue.ts';

/** The bytes published for a command. */
export function sealCommand(message: CommandMessage): Buffer {
  return encode('kaoreader.command', message);
}

/** The arguments as stored in the command log. */
export function loggedArgs(c: Command): string {
  return JSON.stringify(c.command === 'set-staff-password' ? { password: '[redacted]' } : c.args);
}

export interface CommandSenderOptions {
  readonly facilityId: string;
  readonly clock: Clock;
  readonly queue: CommitQueue;
  /** Publishes a command payload to the reader (QoS 1, expiring). */
  readonly publish: (readerId: string, payload: Buffer) => Promise<void>;
}

export class CommandSender {
  #replies = new Map<string, (r: CommandReply) => void>();
  constructor(private readonly o: CommandSenderOptions) {}

  /** Sends `command` to `readerId` and waits for its reply (TimeoutError after `timeoutMs`). */
  async send(readerId: string, command: Command, timeoutMs = 5000, facilityId = this.o.facilityId): Promise<CommandReply> {
    const id = uuidv7(this.o.clock.now());
    const message = { schema: 'kaoreader.command/1', id, facilityId, ...command } as CommandMessage;
    const { job, done } = writeJob((b) => b.commands.push({ id, facilityId, readerId, command: command.command, args: loggedArgs(command), sentAt: this.o.clock.now() }));
    this.o.queue.push(job);
    await done;
    return this.#await(id, timeoutMs, `command ${command.command} to ${readerId}`, () => this.o.publish(readerId, sealCommand(message)));
  }

  /** Publishes raw bytes as a command (tests of malformed input); resolves with the reply to `commandId`. */
  raw(readerId: string, payload: string, commandId: string, timeoutMs = 5000): Promise<CommandReply> {
    return this.#await(commandId, timeoutMs, 'raw command', () => this.o.publish(readerId, Buffer.from(payload)));
  }

  async #await(id: string, timeoutMs: number, what: string, publish: () => Promise<void>): Promise<CommandReply> {
    const reply = new Promise<CommandReply>((resolve, reject) => {
      const t = this.o.clock.setTimeout(() => { this.#replies.delete(id); reject(new TimeoutError(what, timeoutMs)); }, timeoutMs);
      this.#replies.set(id, (r) => { t.cancel(); this.#replies.delete(id); resolve(r); });
    });
    await publish();
    return reply;
  }

  /** A reply arrived: wake the sender and log it. */
  onReply(reply: CommandReply): void {
    this.#replies.get(reply.commandId)?.(reply);
    const { job, done } = writeJob((b) => b.commandReplies.push({ id: reply.commandId, ok: reply.ok, reply: JSON.stringify(reply.ok ? reply.result ?? {} : reply.error ?? {}), at: this.o.clock.now() }));
    this.o.queue.push(job);
    done.catch(() => undefined); // a failed batch is logged by the commit queue; the reply was delivered

  }
}
