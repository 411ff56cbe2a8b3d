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

test.run();
