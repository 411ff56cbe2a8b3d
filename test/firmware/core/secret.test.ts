import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SecretBag } from '../../../firmware/core/secret.ts';

test('wipeAll zeroes every held secret and refuses new ones', () => {
  const bag = new SecretBag();
  const pin = bag.hold(Buffer.from('1234'));
  const emb = bag.hold(new Float32Array([0.5, -1]));
  bag.wipeAll();
  assert.equal([...pin], [0, 0, 0, 0]);
  assert.equal([...emb], [0, 0]);
  const late = Buffer.from('9');
  assert.throws(() => bag.hold(late), /wiped/);
  assert.equal([...late], [0]);
});

test('release wipes one secret early', () => {
  const bag = new SecretBag();
  const a = bag.hold(new Uint8Array([1, 2]));
  bag.release(a);
  assert.is(bag.size, 0);
  assert.equal([...a], [0, 0]);
});

test.run();
