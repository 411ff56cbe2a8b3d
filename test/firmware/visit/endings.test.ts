import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { endingFor } from '../../../firmware/visit/endings.ts';
import { SCREENS } from '../../../firmware/visit/screens.ts';

test('each known error code has a patient screen and an outcome; unknown codes get the fallback guidance', () => {
  const cases: [string, string, string][] = [
    ['CARD_REMOVED', 'cancelled', 'idle'], ['TIMEOUT', 'cancelled', 'timeout'], ['NOT_MY_NUMBER_CARD', 'error', 'not-my-number-card'],
    ['CERTIFICATE_EXPIRED', 'error', 'card-expired'], ['APDU_STATUS', 'error', 'card-unreadable'], ['PIN_BLOCKED', 'rejected', 'fallback'],
    ['FACILITY_UNREACHABLE', 'fallback', 'fallback'], ['READER_GONE', 'fallback', 'fallback'], ['SOMETHING_NEW', 'error', 'fallback'],
  ];
  for (const [code, outcome, screen] of cases) {
    const e = endingFor(code);
    assert.equal([e.outcome, e.screen, e.errorCode], [outcome, screen, code], code);
    assert.ok(e.screen in SCREENS);
  }
});

test.run();
