/**
 * The scenarios of test/scenarios in which the patient pulls the card or lets a step time out.
 * test-timeout: 600 s (whole visits with the face models on a shared 2-core machine under load)
 * test-lane: scenarios (its visits mostly wait: for a step's timeout, for a photo's or an empty camera's
 * face attempts to run out; with scenarios.itest.ts one after the other in a lane beside the other
 * itests, so `npm test` is shorter by both, ≈ 350 s, with no more files running at once than before)
 */
import { interrupted, scenarioSuite } from './scenario-suite.ts';

await scenarioSuite(interrupted);
