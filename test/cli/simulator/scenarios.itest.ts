/**
 * The scenarios of test/scenarios in which the visit runs to its end (accepted, refused, a card
 * problem, the fallback): every screen's buttons tapped as a patient would. The interrupted ones
 * (card pulled, a step timed out) run in scenarios-interrupted.itest.ts.
 */
import { interrupted, scenarioSuite } from './scenario-suite.ts';

await scenarioSuite((f) => !interrupted(f));
