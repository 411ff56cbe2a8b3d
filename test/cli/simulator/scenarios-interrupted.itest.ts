/** The scenarios of test/scenarios in which the patient pulls the card or lets a step time out. */
import { interrupted, scenarioSuite } from './scenario-suite.ts';

await scenarioSuite(interrupted);
