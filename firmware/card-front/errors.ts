/**
 * The one error of the card-front reader. It never returns a number it is not sure of: every
 * doubt (no card found, a field not found, a glyph too close to call, a date that cannot be)
 * is an UnreadableCardFrontError, and the visit asks the patient to re-place the card or
 * offers PIN/staff help instead of spending a card try.
 */
import { KaoreaderError } from '../core/errors.ts';

export type UnreadableReason = 'bad-image' | 'no-card' | 'field-not-found' | 'low-confidence' | 'unexpected-text' | 'inconsistent';

export class UnreadableCardFrontError extends KaoreaderError {
  readonly code = 'CARD_FRONT_UNREADABLE';
  constructor(
    readonly reason: UnreadableReason,
    readonly detail: string,
  ) {
    super(`card front unreadable (${reason}): ${detail}`);
  }
}
