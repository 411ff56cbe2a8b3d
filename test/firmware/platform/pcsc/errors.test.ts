/** PC/SC return codes in pcsclite errors become typed errors (no native binding loaded). */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CardRemovedError, ReaderGoneError } from '../../../../firmware/apdu/errors.ts';
import { mapPcscError, PcscError } from '../../../../firmware/platform/pcsc/errors.ts';

test('removed card, reader gone, pcscd stopped, sharing violation', () => {
  assert.instance(mapPcscError(new Error('SCardTransmit error: Card was removed.(0x80100069)'), 'r', 'x'), CardRemovedError);
  assert.instance(mapPcscError(new Error('SCardConnect error: No smart card inserted.(0x8010000c)'), 'r', 'x'), CardRemovedError);
  assert.instance(mapPcscError(new Error('SCardGetStatusChange error: Service was stopped.(0x8010001e)'), 'r', 'x'), ReaderGoneError);
  assert.instance(mapPcscError(new Error('SCardGetStatusChange error: RPC transport error.(0x80100013)'), 'r', 'x'), ReaderGoneError);
  const e = mapPcscError(new Error('SCardConnect error: Sharing violation.(0x8010000b)'), 'r', 'x');
  assert.instance(e, PcscError);
  assert.is((e as PcscError).pcscCode, 0x8010000b);
  assert.is((mapPcscError('weird', 'r', 'x') as PcscError).pcscCode, undefined);
});

test.run();
