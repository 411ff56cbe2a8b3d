/** First boot: an unpaired reader shows the pairing screen (code and QR) and reports it, without failing its self-test. */
import jsQRModule from 'jsqr';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { pairingScreenService } from '../../cli/pairing-screen.ts';
import { createLogger, MemorySink } from '../../firmware/core/logger.ts';
import { simUi } from '../firmware/display/helpers.ts';

const jsQR = ((jsQRModule as unknown as { default?: typeof jsQRModule }).default ?? jsQRModule) as unknown as typeof jsQRModule.default;

test('the pairing screen is on the panel once the service started; its health is reported, not critical', async () => {
  const { ui, display } = simUi(1024, 600, 'XRGB8888');
  const qr = 'kaoreader-pair:v1:reader=KR-0042:code=1234-5678:fp=ab12';
  const s = pairingScreenService(ui, { code: '1234-5678', qr }, 'ja', createLogger({ sink: new MemorySink(), level: 'error' }));
  await s.start(new AbortController().signal);
  assert.ok(ui.layout?.texts.some((t) => t.text.includes('1234-5678')));
  const rgba = display.lastRgba();
  assert.is(jsQR(new Uint8ClampedArray(rgba.data.buffer, rgba.data.byteOffset, rgba.data.length), rgba.width, rgba.height)?.data, qr);
  assert.equal(
    (await s.health?.())?.map((c) => [c.name, c.ok, c.critical]),
    [['pairing', false, false]],
  );
  await s.stop();
  await ui.close();
});

test.run();
