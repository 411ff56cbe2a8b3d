/** State `prescription`: electronic or paper prescription, where the facility supports it. */
import type { VisitContext } from '../context.ts';
import { to, type Transition } from '../states.ts';
import { stepState } from '../step-state.ts';

const PRESCRIPTION = stepState('prescription', (): { choice?: 'electronic' | 'paper' } => ({}));

/** 電子処方箋 or paper, once chosen. */
export function prescriptionOf(v: VisitContext): 'electronic' | 'paper' | undefined {
  return v.own(PRESCRIPTION).choice;
}

export async function prescriptionStep(v: VisitContext): Promise<Transition> {
  v.own(PRESCRIPTION).choice = await v.choose('prescription');
  return to('finish');
}
