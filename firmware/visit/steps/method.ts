/**
 * State `method`: 本人確認方法の選択, face (顔認証) or PIN (暗証番号). On a reader without a terminal
 * authenticator the screen (`method-face-pin`) says that the PIN follows the face match.
 * Shown while the facility's qualification answer is still on its way (state `qualify`): a
 * refusal or an unreachable facility ends the visit as soon as it is known, chosen or not; the
 * choice is handed over only once the answer is in. A card not registered for health-insurance
 * use is offered the registration (state `registration`) before its identity check.
 */
import type { VisitContext } from '../context.ts';
import { buttonsOf } from '../screens.ts';
import { to, type Transition } from '../states.ts';
import { forgetFaceMatch } from './face.ts';
import { qualification, qualificationOf } from './qualify.ts';
import { offerRegistration, registrationToOffer } from './registration.ts';

/** Rejects when `p` rejects; never resolves (a failure to race against a choice). */
const failureOf = (p: Promise<unknown>): Promise<never> => p.then(() => new Promise<never>(() => undefined));

export async function methodStep(v: VisitContext): Promise<Transition> {
  forgetFaceMatch(v);
  const answered = qualification(v);
  const screen = v.card.faceProof === 'pin' ? 'method-face-pin' : 'method';
  await v.show(screen);
  const choice = await v.step(`choice on ${screen}`, v.t.choiceMs, (signal) =>
    Promise.race([v.deps.ui.waitForAction(buttonsOf(screen), signal), failureOf(answered)]));
  // Chosen before the facility answered (a slow network): say the reader is still working.
  if (!qualificationOf(v)) await v.show('card-reading');
  const answer = await answered;
  return registrationToOffer(v, answer) ? offerRegistration(v, choice) : to(choice);
}
