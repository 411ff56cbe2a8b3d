/**
 * State `pin`: tries left shown before entry, an explicit warning screen before the last try
 * (the card only spends it when the patient confirms), masked entry on the shuffled pad (marked
 * wrong after a wrong PIN, with the new tries left), then the proof: the card signs the
 * facility's fresh challenge and the signature is verified against the certificate. Also the end
 * of face mode on a reader without a terminal authenticator: after the face match the pad says
 * so, and the decision is recorded as face mode. Blocked → municipal-office guidance or staff help.
 */
import type { VisitContext } from '../context.ts';
import type { PinVerifyOutcome } from '../deps.ts';
import { errorCodeOrInternal } from '../errors.ts';
import { proveAndDecide } from '../proof.ts';
import { end, to, type Transition } from '../states.ts';
import { certificateOf } from './card.ts';
import { faceMatchedOf } from './face.ts';

/** A 4-digit PIN with 3 tries never needs more rounds than this. */
const MAX_ROUNDS = 4;

async function blocked(v: VisitContext): Promise<Transition> {
  v.deps.audit.record('pin-blocked', { visitId: v.visitId, certificateSerial: certificateOf(v)?.serial });
  const choice = await v.choose('pin-blocked');
  if (choice === 'staff') return to('staff');
  return end({ outcome: 'rejected', screen: 'fallback', errorCode: 'PIN_BLOCKED' });
}

async function prove(v: VisitContext): Promise<Transition> {
  const faceMatched = faceMatchedOf(v);
  await proveAndDecide(
    v,
    'pin',
    faceMatched ? 'face' : 'pin',
    faceMatched ? 'face-match-then-pin-signature-valid' : 'pin-verified-signature-valid',
  );
  return to('register');
}

export async function pinStep(v: VisitContext): Promise<Transition> {
  const { card } = v;
  const { ui } = v.deps;
  let tries = await v.step('reading PIN tries left', v.t.cardMs, (signal) => card.pinTriesLeft(signal));
  let wrong = false;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    if (tries <= 0) return blocked(v);
    const lastTry = tries === 1;
    if (lastTry) {
      const choice = await v.choose('pin-warning-last-try', { triesLeft: 1, lastTry });
      if (choice === 'staff') return to('staff');
      if (choice === 'cancel') return to('method');
    }
    const params = { triesLeft: tries, lastTry, wrong };
    const pad = faceMatchedOf(v) ? 'pin-after-face' : 'pin';
    await v.show(pad, params);
    const entry = await v.step('PIN entry', v.t.pinMs, (signal) => ui.readSecret(pad, params, signal));
    if (entry.kind === 'cancelled') return to('method');
    const pin = v.bag.hold(entry.value);
    let outcome: PinVerifyOutcome;
    try {
      outcome = await v.step('PIN verify', v.t.cardMs, (signal) => card.verifyPin(pin, { confirmLastTry: lastTry }, signal));
    } catch (err) {
      if (errorCodeOrInternal(err) === 'PIN_BLOCKED') return blocked(v);
      throw err;
    } finally {
      v.bag.release(pin);
    }
    if (outcome.ok) return prove(v);
    v.deps.audit.record('pin-wrong', { visitId: v.visitId, triesLeft: outcome.triesLeft });
    tries = outcome.triesLeft;
    wrong = true;
  }
  return blocked(v);
}
