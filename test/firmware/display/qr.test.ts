/** Pairing QR: the rendered screen's QR decodes (jsQR) back to the payload; bad payloads are typed errors. */
import jsQRModule from 'jsqr';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { encodeQr, QrPayloadError } from '../../../firmware/display/qr/qr.ts';
import { simUi } from './helpers.ts';

/** jsqr is CommonJS whose typings declare an ES default export; at run time the module itself is the function. */
const jsQR = ((jsQRModule as unknown as { default?: typeof jsQRModule }).default ?? jsQRModule) as unknown as typeof jsQRModule.default;

test('the pairing screen shows a QR code that a reader decodes to the payload', async () => {
  const { ui, display } = simUi(1024, 600, 'RGB565');
  const payload = 'kaoreader-pair:v1:reader=KR-0001:code=4821-7730';
  const layout = await ui.show('pairing', { qr: payload, args: { code: '4821-7730' } }, 'ja');
  assert.ok(layout.texts.some((t) => t.text === 'ペアリングコード：4821-7730'));
  const rgba = display.lastRgba();
  const decoded = jsQR(new Uint8ClampedArray(rgba.data.buffer, rgba.data.byteOffset, rgba.data.length), rgba.width, rgba.height);
  assert.is(decoded?.data, payload);
  await ui.close();
});

test('payload limits', () => {
  assert.ok(encodeQr('x').length >= 21);
  assert.throws(
    () => encodeQr(''),
    (e: unknown) => e instanceof QrPayloadError,
  );
  assert.throws(
    () => encodeQr('x'.repeat(600)),
    (e: unknown) => e instanceof QrPayloadError,
  );
});

test.run();
