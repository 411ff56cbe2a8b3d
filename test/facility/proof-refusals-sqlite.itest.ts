/** Proof refusals with real parts, each facility on its own SQLite file (proof-refusals.ts). */
import { refusalSuite } from './proof-refusals.ts';

refusalSuite({ name: 'SQLite', store: () => undefined, foreignChallenge: 'CHALLENGE_UNKNOWN' });
