/**
 * What a visit reports while it runs, for the simulator's transcript, benches and the status
 * page: the states entered, the screens asked for, the identity decision and the result.
 * Observers must not throw; they never receive secrets (screen params minus the photo).
 */
import type { IdentityMethod, VisitResult } from '../ports/facility-link.ts';
import type { ScreenId } from './screens.ts';
import type { StateId } from './states.ts';

export type VisitEvent =
  | { readonly type: 'state'; readonly state: StateId; readonly at: number }
  | { readonly type: 'screen'; readonly screen: ScreenId; readonly at: number }
  | { readonly type: 'decision'; readonly method: IdentityMethod; readonly accepted: boolean; readonly at: number }
  | { readonly type: 'result'; readonly result: VisitResult; readonly at: number };

export type VisitObserver = (event: VisitEvent) => void;
