/**
 * The agent's durable record (<reader.stateDir>/ota/agent.json, replaced atomically): the anti-rollback
 * floor, versions rolled back here (not retried), and the last outcome (reported over MQTT).
 */
import { readFile } from 'node:fs/promises';
import { writeAtomic } from '../fsx.ts';

export interface LastOutcome {
  readonly version: string;
  readonly outcome: 'committed' | 'rolled-back' | 'rejected';
  readonly reason?: string;
  readonly at: number;
}

export interface AgentRecord {
  readonly floor?: string;
  readonly blocked: Readonly<Record<string, string>>;
  readonly last?: LastOutcome;
}

export async function readRecord(path: string): Promise<AgentRecord> {
  try {
    const r = JSON.parse(await readFile(path, 'utf8')) as Partial<AgentRecord>;
    return { ...(r.floor ? { floor: r.floor } : {}), blocked: r.blocked ?? {}, ...(r.last ? { last: r.last } : {}) };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { blocked: {} };
    throw err;
  }
}

export async function writeRecord(path: string, r: AgentRecord): Promise<void> {
  await writeAtomic(path, `${JSON.stringify(r)}\n`, 0o600);
}
