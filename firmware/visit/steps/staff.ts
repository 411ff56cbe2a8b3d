/**
 * State `staff`: 目視確認. The patient calls staff; a staff member enters the facility password
 * on the reader (slow hash, rate limited: see staff-password.ts; a wrong one marks the pad
 * wrong), sees the chip photo and confirms or rejects; a confirmation is bound to the card by its
 * signature when the reader can get one without the PIN. The result records method `staff`; the
 * reader goes back to patient (unattended) mode by itself right after, whatever staff do.
 */
import type { VisitContext } from '../context.ts';
import type { ErrorCode } from '../../core/errors.ts';
import { errorCodeOrInternal } from '../errors.ts';
import { end, to, type Transition } from '../states.ts';
import { decideOnCard, proveWithCard } from '../proof.ts';
import { ensurePhoto } from './photo.ts';

const MAX_PASSWORD_TRIES = 5;
const RETURN_SECONDS = 3;

/** "Back to unattended mode in N s": staff may press return; otherwise it happens by itself. */
async function backToUnattended(v: VisitContext): Promise<void> {
  try {
    await v.choose('staff-done', { seconds: RETURN_SECONDS }, RETURN_SECONDS * 1_000);
  } catch (err) {
    if (errorCodeOrInternal(err) !== 'TIMEOUT') throw err;
  }
}
const PHOTO_PROBLEMS = new Set<ErrorCode>([
  'VERIFICATION_NUMBER_B_UNREADABLE',
  'VERIFICATION_NUMBER_B_REFUSED',
  'CARD_FACE_ISSUER_UNKNOWN',
  'TIMEOUT',
  'DEVICE_UNAVAILABLE',
]);

/**
 * The staff confirmed: with a terminal authenticator the card still signs the facility's challenge
 * (the result is bound to the card in the slot); without one, or when the card refuses the
 * terminal, the staff's visual check stands alone and the result carries no signature.
 */
async function bindToCard(v: VisitContext): Promise<void> {
  if (v.card.faceProof !== 'terminal') return;
  try {
    await proveWithCard(v, 'terminal');
  } catch (err) {
    if (errorCodeOrInternal(err) !== 'TERMINAL_AUTH_FAILED') throw err;
    v.deps.audit.record('staff-check-unsigned', { visitId: v.visitId, reason: 'TERMINAL_AUTH_FAILED' });
  }
}

async function staffLogin(v: VisitContext): Promise<'ok' | 'cancelled' | Transition> {
  let wrong = false;
  for (let i = 0; i < MAX_PASSWORD_TRIES; i++) {
    await v.show('staff-password', { wrong });
    const entry = await v.step('staff password', v.t.staffMs, (signal) => v.deps.ui.readSecret('staff-password', { wrong }, signal));
    if (entry.kind === 'cancelled') return 'cancelled';
    const password = v.bag.hold(entry.value);
    let verdict: Awaited<ReturnType<VisitContext['deps']['staff']['check']>>;
    try {
      verdict = await v.step('staff password check', v.t.staffMs, () => v.deps.staff.check(password));
    } finally {
      v.bag.release(password);
    }
    v.deps.audit.record('staff-login', { visitId: v.visitId, verdict });
    if (verdict === 'ok') return 'ok';
    if (verdict === 'locked') return end({ outcome: 'fallback', screen: 'fallback', errorCode: 'STAFF_LOCKED' });
    if (verdict === 'unset') return end({ outcome: 'fallback', screen: 'fallback', errorCode: 'STAFF_UNAVAILABLE' });
    wrong = true;
  }
  return end({ outcome: 'fallback', screen: 'fallback', errorCode: 'STAFF_LOCKED' });
}

export async function staffStep(v: VisitContext): Promise<Transition> {
  const login = await staffLogin(v);
  if (login === 'cancelled') return to('method');
  if (login !== 'ok') return login;
  let photo: Uint8Array | undefined;
  try {
    photo = await ensurePhoto(v);
  } catch (err) {
    if (!PHOTO_PROBLEMS.has(errorCodeOrInternal(err))) throw err;
    v.deps.log.warn('staff check without the chip photo', { code: errorCodeOrInternal(err) });
  }
  const verdict = await v.choose('staff-check', photo ? { photo } : { reason: 'NO_PHOTO' }, v.t.staffMs);
  if (verdict === 'confirm') await bindToCard(v);
  decideOnCard(v, 'staff', verdict === 'confirm', 'staff-visual-check');
  await backToUnattended(v);
  if (verdict === 'reject') return end({ outcome: 'rejected', screen: 'fallback', errorCode: 'STAFF_REJECTED' });
  return to('register');
}
