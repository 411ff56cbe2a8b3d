/** The ICU-like formatter: selectors, #, nesting, and typed errors for bad patterns or arguments. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { formatMessage, MessageFormatError, placeholders } from '../../../../firmware/display/i18n/message-format.ts';

test('exact plural selector beats the category; # is localised', () => {
  const p = '{n, plural, =0 {none} one {# item} other {# items}}';
  assert.is(formatMessage(p, { n: 0 }, 'en'), 'none');
  assert.is(formatMessage(p, { n: 1 }, 'en'), '1 item');
  assert.is(formatMessage(p, { n: 1234 }, 'en'), '1,234 items');
  assert.is(formatMessage(p, { n: 1234 }, 'de'), '1.234 items');
});

test('select with nested argument, placeholders listed with their kind', () => {
  const p = '{who, select, staff {checked by {name}} other {self}}';
  assert.is(formatMessage(p, { who: 'staff', name: 'A' }, 'en'), 'checked by A');
  assert.is(formatMessage(p, { who: 'x' }, 'en'), 'self');
  assert.equal(placeholders(p), ['name:string', 'who:select']);
});

test('bad patterns and missing arguments are typed errors', () => {
  for (const bad of ['{a', '{a, plural, one {x}}', '{a, date}', 'x}', '{a, plural, other {x}']) {
    assert.throws(
      () => formatMessage(bad, { a: 1 }, 'en'),
      (e: unknown) => e instanceof MessageFormatError && e.code === 'MESSAGE_FORMAT',
      bad,
    );
  }
  assert.throws(
    () => formatMessage('{a}', {}, 'en'),
    (e: unknown) => e instanceof MessageFormatError,
  );
  assert.throws(
    () => formatMessage('{a, plural, other {#}}', { a: 'x' }, 'en'),
    (e: unknown) => e instanceof MessageFormatError,
  );
});

test.run();
