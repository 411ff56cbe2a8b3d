/** The console's request bodies, checked at the boundary: each parser returns a typed value or throws RequestError. */
import { KaoreaderError } from '../../../firmware/core/errors.ts';
import type { Key } from '../../../firmware/ports/keypad.ts';
import { PATIENTS } from '../../../hardware-sim/patients/profiles.ts';
import { CARD_KINDS as CARDS, type CardKind } from '../card-kind.ts';
import type { ConsoleSetup } from './protocol.ts';

export class RequestError extends KaoreaderError {
  readonly code = 'BAD_REQUEST';
}

const MAX_DRAWN = 1_000;

function object(b: unknown): Record<string, unknown> {
  if (b === null || typeof b !== 'object' || Array.isArray(b)) throw new RequestError('the request body must be a JSON object');
  return b as Record<string, unknown>;
}

export function parseTouch(b: unknown): { x: number; y: number } {
  const { x, y } = object(b);
  if (
    typeof x !== 'number' ||
    typeof y !== 'number' ||
    !Number.isFinite(x) ||
    !Number.isFinite(y) ||
    x < 0 ||
    y < 0 ||
    x > 10_000 ||
    y > 10_000
  )
    throw new RequestError('x and y must be pixel coordinates of the screen');
  return { x, y };
}

export function parseKey(b: unknown): Key {
  const { key } = object(b);
  if (typeof key === 'string' && /^[0-9]$/.test(key)) return { kind: 'digit', digit: Number(key) };
  if (key === 'clear' || key === 'cancel' || key === 'enter') return { kind: key };
  throw new RequestError('key must be a digit 0–9, "clear", "cancel" or "enter"');
}

export function parseSetup(b: unknown): ConsoleSetup {
  const { patient, card, registered, ePrescription } = object(b);
  const problems: string[] = [];
  if (typeof patient !== 'string' || !PATIENTS.some((p) => p.id === patient))
    problems.push(`patient must be one of ${PATIENTS.map((p) => p.id).join(', ')}`);
  if (!CARDS.includes(card as CardKind)) problems.push(`card must be one of ${CARDS.join(', ')}`);
  if (typeof registered !== 'boolean') problems.push('registered must be true or false');
  if (typeof ePrescription !== 'boolean') problems.push('ePrescription must be true or false');
  if (problems.length > 0) throw new RequestError(problems.join('; '));
  return { patient: patient as string, card: card as CardKind, registered: registered as boolean, ePrescription: ePrescription as boolean };
}

/** `{ frames: [{ seq, after, at }] }`: frames a page drew (having drawn `after` before), and when (epoch ms). */
export function parseDrawn(b: unknown): { seq: number; after: number; at: number }[] {
  const { frames } = object(b);
  if (!Array.isArray(frames) || frames.length > MAX_DRAWN)
    throw new RequestError(`frames must be a list of at most ${MAX_DRAWN} { seq, after, at }`);
  return frames.map((f) => {
    const { seq, after, at } = object(f);
    if (!Number.isInteger(seq) || !Number.isInteger(after) || typeof at !== 'number' || !Number.isFinite(at))
      throw new RequestError('each frame needs integers seq and after, and a time at');
    return { seq: seq as number, after: after as number, at };
  });
}
