/**
 * State `method`: 本人確認方法の選択, face (顔認証) or PIN (暗証番号). On a reader without a terminal
 * authenticator the screen (`method-face-pin`) says that the PIN follows the face match.
 */
import type { VisitContext } from '../context.ts';
import { to, type Transition } from '../states.ts';
import { forgetFaceMatch } from './face.ts';

export async function methodStep(v: VisitContext): Promise<Transition> {
  forgetFaceMatch(v);
  const choice = await v.choose(v.card.faceProof === 'pin' ? 'method-face-pin' : 'method');
  return to(choice);
}
