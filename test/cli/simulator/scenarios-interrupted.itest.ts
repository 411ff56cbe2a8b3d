/**
 * The scenarios of test/scenarios in which the patient pulls the card or lets a step time out.
 * test-timeout: 600 s (whole visits with the face models on a shared 2-core machine under load)
 */
import { interrupted, scenarioSuite } from './scenario-suite.ts';

await scenarioSuite(interrupted);
