/** State `method`: 本人確認方法の選択, face (顔認証) or PIN (暗証番号). */
import type { VisitContext } from '../context.ts';
import { to, type Transition } from '../states.ts';

export async function methodStep(v: VisitContext): Promise<Transition> {
  const choice = await v.choose('method');
  return to(choice);
}
