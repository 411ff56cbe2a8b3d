/**
 * The states of one visit and how a state hands over: to another state, or to an ending.
 *
 *   card → qualify → [registration] → method → face | pin → [staff] → [register] → consent
 *        → [prescription] → finish
 *
 * Every handler lives in `steps/<state>.ts`; the runner (visit.ts) loops over them with a cap.
 */
import type { VisitResult } from '../ports/facility-link.ts';
import type { ScreenId } from './screens.ts';

export type StateId =
  'card' | 'qualify' | 'registration' | 'method' | 'face' | 'pin' | 'staff' | 'register' | 'consent' | 'prescription' | 'finish';

export interface Ending {
  readonly outcome: VisitResult['outcome'];
  /** The screen the patient sees at the end (done, a guidance screen). */
  readonly screen: ScreenId;
  readonly errorCode?: string;
}

export type Transition = { readonly to: StateId } | { readonly end: Ending };

export const to = (state: StateId): Transition => ({ to: state });
export const end = (ending: Ending): Transition => ({ end: ending });
