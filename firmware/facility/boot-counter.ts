/** The boot counter in the birth message: incremented durably once per daemon start. */
import type { Store } from '../ports/store.ts';

export async function nextBootCounter(store: Store): Promise<number> {
  const n = ((await store.get<number>('boot-counter')) ?? 0) + 1;
  await store.set('boot-counter', n);
  return n;
}
