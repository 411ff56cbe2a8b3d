/**
 * Typed failures of face verification. The visit switches on `code` to pick a screen
 * (offer PIN, call staff); the facility link maps them to result codes.
 */
import { KaoreaderError } from '../core/errors.ts';
import type { FaceDecision } from './decision.ts';

/** No decision within the visit's budget (counted from the first face seen). */
export class BudgetExceededError extends KaoreaderError {
  readonly code = 'FACE_BUDGET_EXCEEDED';
  constructor(readonly decision: FaceDecision) {
    super(`no face decision within ${decision.budgetMs} ms (${decision.reason})`);
  }
}

/** Liveness failed: a photo, a screen or a frozen image. */
export class SpoofSuspectedError extends KaoreaderError {
  readonly code = 'FACE_SPOOF_SUSPECTED';
  constructor(readonly decision: FaceDecision) {
    super(`liveness failed (${decision.reason})`);
  }
}

/** The live face is not the card holder's. */
export class FaceMismatchError extends KaoreaderError {
  readonly code = 'FACE_MISMATCH';
  constructor(readonly decision: FaceDecision) {
    super('live face does not match the card photo');
  }
}

/** verify() before enrol(), or after wipe(). */
export class NotEnrolledError extends KaoreaderError {
  readonly code = 'FACE_NOT_ENROLLED';
}

/** The chip photo decoded but holds no usable face. */
export class NoFaceInPhotoError extends KaoreaderError {
  readonly code = 'FACE_NOT_IN_PHOTO';
}

/** Returns the decision when it is a match; otherwise throws the typed error for its outcome. */
export function requireMatch(decision: FaceDecision): FaceDecision {
  switch (decision.outcome) {
    case 'match':
      return decision;
    case 'no-match':
      throw new FaceMismatchError(decision);
    case 'spoof':
      throw new SpoofSuspectedError(decision);
    case 'timeout':
      throw new BudgetExceededError(decision);
  }
}
