/** What the console shows of an MQTT message: direction from the topic, the schema, passwords masked at any depth. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { describeMessage, maskSecrets } from '../../../../cli/simulator/console/facility-tap.ts';

test('a staff password command is shown with the password masked', () => {
  const m = describeMessage(
    1,
    5,
    'facility/sim-reader-1/commands',
    Buffer.from(JSON.stringify({ schema: 'kaoreader.command/1', command: 'set-staff-password', args: { password: '20261124' } })),
  );
  assert.is(m.direction, 'facility → reader');
  assert.is(m.kind, 'kaoreader.command/1');
  assert.not.match(JSON.stringify(m.payload), /20261124/);
  assert.equal(maskSecrets({ a: [{ newPassword: 'x', n: 1 }] }), { a: [{ newPassword: '••••••••', n: 1 }] });
});

test('results go reader → facility; the facility status is its own; bytes that are not JSON are named so', () => {
  assert.is(describeMessage(2, 0, 'readers/r-1/results', Buffer.from('{"schema":"kaoreader.result/1"}')).direction, 'reader → facility');
  assert.is(describeMessage(3, 0, 'facility/status', Buffer.from('{"schema":"kaoreader.facility-status/1"}')).direction, 'facility');
  assert.match(describeMessage(4, 0, 'readers/r-1/health', Buffer.from([0xff, 0x00])).kind, /^\(not JSON/);
});

test.run();
