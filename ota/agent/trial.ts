/**
 * The small files the start guard (a shell script, see ota/systemd/start-guard.sh) and the
 * agent share: `trial` ("<version> <from> <attempts>"), `rollback` ("<version> <reason>"),
 * and the intentional-restart marker. One line each, replaced atomically.
 */
import { readFile, rm } from 'node:fs/promises';
import { fsyncDir, writeAtomic } from '../fsx.ts';
import type { Layout } from './layout.ts';

export interface Trial {
  readonly version: string;
  readonly from: string;
  readonly attempts: number;
}
export interface RollbackNote {
  readonly version: string;
  readonly reason: string;
}

async function readLine(path: string): Promise<string | undefined> {
  try {
    return (await readFile(path, 'utf8')).trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

export async function readTrial(l: Layout): Promise<Trial | undefined> {
  const line = await readLine(l.trialFile);
  const [version, from, attempts] = line?.split(/\s+/) ?? [];
  if (!version || !from) return undefined;
  return { version, from, attempts: Number(attempts ?? 0) || 0 };
}

export async function writeTrial(l: Layout, t: Trial): Promise<void> {
  await writeAtomic(l.trialFile, `${t.version} ${t.from} ${t.attempts}\n`);
}

export async function removeFile(path: string, dir: string): Promise<void> {
  await rm(path, { force: true });
  await fsyncDir(dir);
}

export async function readRollback(l: Layout): Promise<RollbackNote | undefined> {
  const line = await readLine(l.rollbackFile);
  if (!line) return undefined;
  const sp = line.indexOf(' ');
  return sp < 0 ? { version: line, reason: 'unknown' } : { version: line.slice(0, sp), reason: line.slice(sp + 1) };
}

export async function writeRollback(l: Layout, n: RollbackNote): Promise<void> {
  await writeAtomic(l.rollbackFile, `${n.version} ${n.reason}\n`);
}

export async function markIntentional(l: Layout): Promise<void> {
  await writeAtomic(l.intentFile, `${process.pid}\n`);
}
