/** The card contract against the in-process SimCardReader. */
import { SimCardReader } from '../../../../hardware-sim/card/sim-card-reader.ts';
import { cardContract } from './card-contract.ts';

const reader = new SimCardReader();
cardContract('in-process card', () =>
  Promise.resolve({
    reader,
    insert: (card) => Promise.resolve(reader.insert(card)),
    remove: () => Promise.resolve(reader.remove()),
    close: () => reader.close(),
  }),
).run();
