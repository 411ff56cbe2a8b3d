/** State `prescription`: electronic or paper prescription, where the facility supports it. */
import type { VisitContext } from '../context.ts';
import { to, type Transition } from '../states.ts';

export async function prescriptionStep(v: VisitContext): Promise<Transition> {
  v.prescription = await v.choose('prescription');
  return to('finish');
}
