import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { ErrorCode } from '../../../firmware/core/errors.ts';
import { endingFor } from '../../../firmware/visit/endings.ts';
import { SCREENS } from '../../../firmware/visit/screens.ts';

test('each known error code has a patient screen and an outcome; unknown codes get the fallback guidance', () => {
  const cases: [ErrorCode, string, string][] = [
    ['CARD_REMOVED', 'cancelled', 'idle'],
    ['TIMEOUT', 'cancelled', 'timeout'],
    ['NOT_MY_NUMBER_CARD', 'error', 'not-my-number-card'],
    ['CERTIFICATE_EXPIRED', 'error', 'card-expired'],
    ['APDU_STATUS', 'error', 'card-unreadable'],
    ['PIN_BLOCKED', 'rejected', 'fallback'],
    ['FACILITY_UNREACHABLE', 'fallback', 'fallback'],
    ['READER_GONE', 'fallback', 'fallback'],
    ['INTERNAL', 'error', 'fallback'],
    ['FACE_MISMATCH', 'error', 'fallback'],
  ];
  for (const [code, outcome, screen] of cases) {
    const e = endingFor(code);
    assert.equal([e.outcome, e.screen, e.errorCode], [outcome, screen, code], code);
    assert.ok(e.screen in SCREENS);
  }
});

test('a facility refusal code is mapped only when the table knows it; the codes nothing raises are gone', () => {
  assert.equal([endingFor('CERTIFICATE_REVOKED').screen, endingFor('CHALLENGE_REPLAYED').screen], ['card-expired', 'fallback']);
  // @ts-expect-error -- STATUS_WORD was mapped, but nothing raises it (the card raises APDU_STATUS)
  endingFor('STATUS_WORD');
});

test.run();
