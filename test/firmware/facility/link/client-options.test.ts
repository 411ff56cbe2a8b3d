import { connect } from 'mqtt';
import sinon from 'sinon';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { quietMqttLog } from '../../../../firmware/facility/link/client-options.ts';

test("mqtt.js's per-packet debug logging is a no-op unless DEBUG names mqttjs", () => {
  const quiet = quietMqttLog({});
  assert.type(quiet.log, 'function');
  assert.is(quiet.log?.('publish %o', { cmd: 'publish' }), undefined);
  assert.equal(quietMqttLog({ DEBUG: 'kao,other' }).log === undefined, false);
  assert.equal(quietMqttLog({ DEBUG: 'mqttjs*' }), {});
  assert.equal(quietMqttLog({ DEBUG: 'x,mqttjs:client' }), {});
});

test('mqtt.js itself logs through the option (so the no-op silences it), not only our reading of its types', async () => {
  const log = sinon.spy();
  // The option quietMqttLog sets, given a spy in place of its no-op.
  const options = Object.fromEntries(Object.keys(quietMqttLog({})).map((key) => [key, log]));
  const client = connect('mqtt://127.0.0.1:1', { ...options, reconnectPeriod: 0, connectTimeout: 500 });
  client.on('error', () => undefined);
  await client.endAsync(true);
  assert.ok(log.callCount > 0, 'mqtt.js never called the log it was given');
});

test.run();
