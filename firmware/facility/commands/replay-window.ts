/**
 * The persisted replay window: the ids of commands admitted here, each kept until its expiry
 * (plus the tolerated clock skew) has passed, in the reader's durable Store. An id is written
 * *before* its command runs, so neither a redelivery nor a replay after a restart runs it a
 * second time. Admissions run one at a time (two commands arriving together must not both
 * read the old window, nor a duplicate pass twice). Expired ids are pruned; more than `max`
 * live ids refuses new commands (REPLAY_WINDOW_FULL) rather than forgetting one.
 */
import type { Store } from '../../ports/store.ts';
import { CommandRefusedError } from './errors.ts';
import { COMMAND_CLOCK_SKEW_MS } from './signed-command.ts';

const KEY = 'command-window';

export class ReplayWindow {
  #ids: Map<string, number> | undefined;
  #turn: Promise<void> = Promise.resolve();
  constructor(
    private readonly store: Store,
    private readonly max = 1000,
  ) {}

  /** Records `id` (valid until `expiresAt`) durably, or throws REPLAYED / REPLAY_WINDOW_FULL. */
  admit(id: string, expiresAt: number, now: number): Promise<void> {
    const run = this.#turn.then(() => this.#admit(id, expiresAt, now));
    this.#turn = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  async #admit(id: string, expiresAt: number, now: number): Promise<void> {
    const ids = await this.#load(now);
    if (ids.has(id)) throw new CommandRefusedError('REPLAYED', `command ${id} ran on this reader already`);
    if (ids.size >= this.max)
      throw new CommandRefusedError('REPLAY_WINDOW_FULL', `${ids.size} commands are still live in the replay window`);
    const next = new Map(ids).set(id, expiresAt);
    await this.store.set(KEY, Object.fromEntries(next));
    this.#ids = next;
  }

  async #load(now: number): Promise<Map<string, number>> {
    this.#ids ??= new Map(Object.entries((await this.store.get<Record<string, number>>(KEY)) ?? {}));
    for (const [id, expires] of this.#ids) if (expires + COMMAND_CLOCK_SKEW_MS < now) this.#ids.delete(id);
    return this.#ids;
  }
}
