/**
 * State a step owns for the length of one visit. The step module declares a key with
 * `stepState(name, initial)` and keeps it to itself: only it can change that state (through
 * `VisitContext.own(key)`); everyone else reads it through the narrow accessors the module
 * exports. The state lives on the visit's context and ends with it.
 */
export interface StepState<T> {
  readonly name: string;
  readonly initial: () => T;
}

export function stepState<T>(name: string, initial: () => T): StepState<T> {
  return { name, initial };
}
