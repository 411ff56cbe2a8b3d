/**
 * State `consent` (同意確認): on a revisit, the consent given at this facility last time with
 * reuse / choose again; otherwise all at once (全て同意する) or item by item (同意する /
 * 同意しない). Items are the facility's list (data-driven). Items the facility added since the
 * last visit are asked for one by one even when the rest is reused.
 */
import type { ConsentChoice } from '../../ports/facility-link.ts';
import type { VisitContext } from '../context.ts';
import { VisitError } from '../errors.ts';
import { to, type Transition } from '../states.ts';
import { stepState } from '../step-state.ts';
import { qualificationOf } from './qualify.ts';

const CONSENT = stepState('consent', (): { choice?: ConsentChoice } => ({}));

/** The patient's consent choice, once made. */
export function consentOf(v: VisitContext): ConsentChoice | undefined {
  return v.own(CONSENT).choice;
}

async function askItems(v: VisitContext, items: readonly string[], into: Record<string, boolean>): Promise<void> {
  for (const [i, item] of items.entries()) {
    const choice = await v.choose('consent-item', { item, itemIndex: i, itemCount: items.length });
    into[item] = choice === 'agree';
  }
}

export async function consentStep(v: VisitContext): Promise<Transition> {
  const answer = qualificationOf(v);
  if (!answer) throw new VisitError('INTERNAL', 'consent before qualification');
  const next = to(answer.ePrescription ? 'prescription' : 'finish');
  const items = answer.consentItems;
  if (items.length === 0) return next;
  const at = (): string => new Date(v.deps.clock.now()).toISOString();
  const previous = answer.previousConsent;
  if (previous) {
    const choice = await v.choose('consent-reuse', { previous: previous.items });
    if (choice === 'reuse') {
      const chosen: Record<string, boolean> = {};
      for (const item of items) if (item in previous.items) chosen[item] = previous.items[item] === true;
      await askItems(
        v,
        items.filter((i) => !(i in chosen)),
        chosen,
      );
      v.own(CONSENT).choice = { mode: 'reused', items: chosen, at: at() };
      return next;
    }
  }
  const mode = await v.choose('consent');
  const chosen: Record<string, boolean> = {};
  if (mode === 'all') for (const item of items) chosen[item] = true;
  else await askItems(v, items, chosen);
  v.own(CONSENT).choice = { mode, items: chosen, at: at() };
  return next;
}
