/** Virtual card details the contract does not reach: SFI addressing, EOF status, short-only readers, events. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SimCardReader } from '../../../hardware-sim/card/sim-reader.ts';
import { verificationNumberB } from '../../../firmware/apdu/myna/verification-number-b.ts';
import { makeTestCard } from '../../helpers/sim-card.ts';

const h = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'hex'));
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

test('READ BINARY by SFI, EOF with 6282, VERIFY status by SFI', async () => {
  const { card } = await makeTestCard();
  card.powerOn();
  assert.is(hex(await card.transmit(h('00a4040c0ad392f000260100000001'))), '9000');
  const label = await card.transmit(h('00b0860020'));
  assert.is(Buffer.from(label.subarray(0, 15)).toString('latin1'), 'JPKIAPICCTOKEN2');
  assert.is(hex(label.subarray(32)), '9000');
  const eof = await card.transmit(h('00b0861e00'));
  assert.is(eof.length, 2 + 2);
  assert.is(hex(eof.subarray(2)), '6282');
  assert.is(hex(await card.transmit(h('00200098'))), '63c3');
  assert.is(hex(await card.transmit(h('0020009b'))), '63c5');
  assert.is(hex(await card.transmit(h('0020008a'))), '6981'); // a certificate is not a PIN
  assert.is(hex(await card.transmit(h('01a4040c0ad392f000260100000001'))), '6881');
  assert.is(hex(await card.transmit(h('00a4'))), '6700');
  assert.is(hex(await card.transmit(h('00a4040c0ad392f0002601'))), '6700');
});

test('extended READ BINARY returns a whole certificate in one response', async () => {
  const { card } = await makeTestCard();
  card.powerOn();
  await card.transmit(h('00a4040c0ad392f000260100000001'));
  await card.transmit(h('00a4020c02000a'));
  const r = await card.transmit(h('00b00000000800'));
  assert.is(r.length, 2048 + 2);
});

test('a short-only reader refuses extended APDUs; events follow insert/remove/unplug', async () => {
  const { card } = await makeTestCard();
  const reader = new SimCardReader({ features: { extendedApdu: false } });
  const events: string[] = [];
  const it = reader.events()[Symbol.asyncIterator]();
  reader.insert(card);
  const s = await reader.connect();
  assert.is(hex(await s.transmit(h('00b00000000800'), { timeoutMs: 100 })), '6700');
  reader.remove();
  reader.unplug();
  reader.replug();
  for (let i = 0; i < 4; i++) events.push(((await it.next()).value as { type: string }).type);
  assert.equal(events, ['inserted', 'removed', 'reader-gone', 'reader-back']);
  await reader.close();
  assert.is((await it.next()).done, true);
});

test('照合番号B from birth date (era), expiry year and security code', () => {
  assert.is(Buffer.from(verificationNumberB({ birthDate: '19800217', expiryYear: '2035', securityCode: '2285' })).toString(), '55021720352285');
  assert.is(Buffer.from(verificationNumberB({ birthDate: '19890108', expiryYear: '2030', securityCode: '0001' })).toString(), '01010820300001');
  assert.is(Buffer.from(verificationNumberB({ birthDate: '20190501', expiryYear: '2030', securityCode: '0001' })).toString(), '01050120300001');
  assert.throws(() => verificationNumberB({ birthDate: '1980021', expiryYear: '2035', securityCode: '2285' }));
});

test.run();
