/** State `finish`: everything chosen; the visit ends accepted (受付完了). */
import type { VisitContext } from '../context.ts';
import { VisitError } from '../errors.ts';
import { end, type Transition } from '../states.ts';

export function finishStep(v: VisitContext): Promise<Transition> {
  if (!v.accepted || !v.method) return Promise.reject(new VisitError('INTERNAL', 'finish without an accepted identity check'));
  return Promise.resolve(end({ outcome: 'accepted', screen: 'done' }));
}
