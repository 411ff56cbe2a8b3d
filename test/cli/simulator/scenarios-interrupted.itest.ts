/**
 * The scenarios of test/scenarios in which the patient pulls the card or lets a step time out.
 * test-timeout: 600 s (whole visits with the face models on a shared 2-core machine under load)
 * test-lane: own (its visits mostly wait: for a step's timeout, for a photo's or an empty camera's face
 * attempts to run out; beside the other itests `npm test` is shorter by the whole of it, ≈ 160 s)
 */
import { interrupted, scenarioSuite } from './scenario-suite.ts';

await scenarioSuite(interrupted);
