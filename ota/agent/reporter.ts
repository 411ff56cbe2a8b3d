/**
 * What the OTA agent tells: its events to the listeners (the facility link's OTA reports, the
 * console), the log, and the last outcome in the agent's record (state.ts) that `status` shows.
 */
import type { Logger } from '../../firmware/core/logger.ts';
import type { Clock } from '../../firmware/ports/clock.ts';
import { UpdateRejectedError } from './errors.ts';
import type { OtaEvent, OtaListener } from './events.ts';
import { readRecord, writeRecord, type AgentRecord } from './state.ts';

export class AgentReporter {
  readonly #listeners = new Set<OtaListener>();

  constructor(
    private readonly agentState: string,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  on(listener: OtaListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  emit(e: OtaEvent): void {
    for (const l of this.#listeners) {
      try {
        l(e);
      } catch (err) {
        this.log.warn('ota listener failed', { err });
      }
    }
  }

  /** A check or trial step that failed: logged and emitted as `rejected` (with its reason) or `failed`. */
  report(err: unknown): void {
    if (err instanceof UpdateRejectedError) {
      this.log.warn('update rejected', { reason: err.reason, detail: err.detail });
      this.emit({ type: 'rejected', reason: err.reason, detail: err.detail });
    } else {
      const detail = err instanceof Error ? err.message : String(err);
      this.log.warn('update check failed', { detail });
      this.emit({ type: 'failed', detail });
    }
  }

  /** Records the last outcome (stamped now) and any other change to the agent's record. */
  async remember(last: Omit<AgentRecord['last'] & object, 'at'>, patch: Partial<AgentRecord> = {}): Promise<void> {
    const rec = await readRecord(this.agentState);
    await writeRecord(this.agentState, { ...rec, ...patch, last: { ...last, at: this.clock.now() } });
  }
}
