/**
 * The scenarios of test/scenarios in which the visit runs to its end (accepted, refused, a card
 * problem, the fallback): every screen's buttons tapped as a patient would. The interrupted ones
 * (card pulled, a step timed out) run in scenarios-interrupted.itest.ts.
 * test-timeout: 600 s (whole visits with the face models on a shared 2-core machine under load)
 */
import { interrupted, scenarioSuite } from './scenario-suite.ts';

await scenarioSuite((f) => !interrupted(f));
