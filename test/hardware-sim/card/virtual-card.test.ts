/**
 * Virtual card details the contract does not reach, checked against spec card-apdu.md by hand-written
 * APDUs: SFI addressing, short reads at the end of an EF, counters of 10 and 63C0, the 生年月日 key,
 * FF filler, GET CHALLENGE lengths, short-only readers, events.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SimCardReader } from '../../../hardware-sim/card/sim-card-reader.ts';
import { verificationNumberB } from '../../../firmware/apdu/myna/verification-number-b.ts';
import { makeTestCard } from '../../helpers/sim-card.ts';

const h = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'hex'));
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

test('READ BINARY by SFI; a read over the end answers the rest with 9000, past the end 6B00; VERIFY status by SFI', async () => {
  const { card } = await makeTestCard();
  card.powerOn();
  assert.is(hex(await card.transmit(h('00a4040c0ad392f000260100000001'))), '9000');
  const label = await card.transmit(h('00b0860020'));
  assert.is(Buffer.from(label.subarray(0, 32)).toString('latin1'), 'JPKIAPICCTOKEN2' + ' '.repeat(17));
  assert.is(hex(label.subarray(32)), '9000');
  // Token info is 160 bytes: a 256-byte read from 0x90 answers the last 16 bytes with 9000.
  const tail = await card.transmit(h('00b0869000'));
  assert.is(tail.length, 16 + 2);
  assert.is(hex(tail.subarray(16)), '9000');
  assert.is(hex(await card.transmit(h('00b086a001'))), '6b00');
  assert.is(hex(await card.transmit(h('00200098'))), '63c3');
  assert.is(hex(await card.transmit(h('0020009b'))), '63c5');
  assert.is(hex(await card.transmit(h('0020008a'))), '6981'); // a certificate is not a PIN
  assert.is(hex(await card.transmit(h('01a4040c0ad392f000260100000001'))), '6881');
  assert.is(hex(await card.transmit(h('00a4'))), '6700');
  assert.is(hex(await card.transmit(h('00a4040c0ad392f0002601'))), '6700');
});

test('card-face AP: 10 tries on 照合番号A/B and the 生年月日 key; a blocked key answers 63C0 to the empty VERIFY, 6984 to a VERIFY with data', async () => {
  const { card } = await makeTestCard();
  card.powerOn();
  assert.is(hex(await card.transmit(h('00a4040c0ad3921000310001010402'))), '9000');
  for (const sfi of ['91', '92', '93']) assert.is(hex(await card.transmit(h(`002000${sfi}`))), '63ca');
  assert.is(hex(await card.transmit(h('00a4020c020011'))), '9000');
  for (let left = 9; left >= 0; left--)
    assert.is(
      hex(await card.transmit(h(`0020008006${Buffer.from('000000').toString('hex')}`))),
      `63c${left.toString(16)}`,
      'each wrong try counts down; the one that blocks answers 63C0',
    );
  assert.is(hex(await card.transmit(h('00200080'))), '63c0');
  assert.is(hex(await card.transmit(h(`0020008006${Buffer.from('550217').toString('hex')}`))), '6984', 'blocked even for the right value');
  assert.is(hex(await card.transmit(h('00200092'))), '63ca', '照合番号B has its own counter');
});

test('the 生年月日 key (first 6 digits of 照合番号B) opens EF 0001 only; 照合番号B opens EF 0002, not 0005', async () => {
  const { card } = await makeTestCard();
  card.powerOn();
  await card.transmit(h('00a4040c0ad3921000310001010402'));
  assert.is(hex(await card.transmit(h('00b0810004'))), '6982');
  assert.is(hex(await card.transmit(h(`0020009106${Buffer.from('550217').toString('hex')}`))), '9000');
  assert.is(hex((await card.transmit(h('00b0810002'))).subarray(0, 4)), 'ff109000');
  assert.is(hex(await card.transmit(h('00b0820002'))), '6982');
  assert.is(hex(await card.transmit(h(`002000920e${Buffer.from('55021720352285').toString('hex')}`))), '9000');
  assert.is(hex(await card.transmit(h('00b0820003'))), 'ff20829000');
  assert.is(hex(await card.transmit(h('00b0850002'))), '6982');
});

test('EF 0002: the FF20 object, then FF filler to the end of the EF', async () => {
  const tc = await makeTestCard();
  const { card } = tc;
  card.powerOn();
  await card.transmit(h('00a4040c0ad3921000310001010402'));
  await card.transmit(h(`002000920e${Buffer.from(tc.verificationNumberB).toString('hex')}`));
  await card.transmit(h('00a4020c020002'));
  const all = await card.transmit(h('00b00000000000'));
  assert.is(hex(all.subarray(all.length - 2)), '9000');
  const ef = all.subarray(0, all.length - 2);
  assert.is(hex(ef.subarray(0, 3)), 'ff2082');
  const objectLength = 5 + (((ef[3] ?? 0) << 8) | (ef[4] ?? 0));
  assert.ok(ef.length > objectLength, 'the EF is longer than the object');
  assert.ok(
    ef.subarray(objectLength).every((b) => b === 0xff),
    'filler is FF',
  );
});

test('GET CHALLENGE takes Le 1–256 (short), refuses extended; the chip signs what the reader sends with 80 2A 00 00', async () => {
  const { card } = await makeTestCard();
  card.powerOn();
  await card.transmit(h('00a4040c0ad3921000310001010402'));
  for (const [le, n] of [
    ['01', 1],
    ['10', 16],
    ['ff', 255],
    ['00', 256],
  ] as const) {
    const r = await card.transmit(h(`00840000${le}`));
    assert.is(r.length, n + 2, `Le ${le}`);
  }
  assert.is(hex(await card.transmit(h('00840000000101'))), '6985');
  const sig = await card.transmit(h('802a000003abcdef00'));
  assert.is(sig.length, 258);
  assert.is(hex(sig.subarray(256)), '9000');
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
  assert.is(
    Buffer.from(verificationNumberB({ birthDate: '19800217', expiryYear: '2035', securityCode: '2285' })).toString(),
    '55021720352285',
  );
  assert.is(
    Buffer.from(verificationNumberB({ birthDate: '19890108', expiryYear: '2030', securityCode: '0001' })).toString(),
    '01010820300001',
  );
  assert.is(
    Buffer.from(verificationNumberB({ birthDate: '20190501', expiryYear: '2030', securityCode: '0001' })).toString(),
    '01050120300001',
  );
  assert.throws(() => verificationNumberB({ birthDate: '1980021', expiryYear: '2035', securityCode: '2285' }));
});

test.run();
