/**
 * The renderer keeps one scratch frame for screens drawn from a cached base (chip photo, camera
 * preview, PIN pad dots). When a screen without such slots follows, that frame — which held the
 * patient's face — is zeroed before it is let go.
 */
import sinon from 'sinon';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { simUi } from './helpers.ts';

test('the scratch frame that held the chip photo is zeroed when a plain screen follows', async () => {
  const { ui, display } = simUi();
  const frameBytes = display.geometry.width * display.geometry.height * 4;
  const copy = sinon.spy(Buffer.prototype, 'copy');
  let scratch: Buffer | undefined;
  try {
    const photo = { data: new Uint8Array(30 * 40).fill(200), width: 30, height: 40, channels: 1 as const };
    await ui.show('staff-check', { photo }, 'ja');
    // The base frame copied into the scratch frame: the copy whose target is a full RGBA frame.
    scratch = copy
      .getCalls()
      .map((c) => c.args[0] as unknown)
      .find((t): t is Buffer => Buffer.isBuffer(t) && t.length === frameBytes);
  } finally {
    copy.restore();
  }
  assert.ok(scratch, 'the staff check screen is drawn through the scratch frame');
  assert.ok(
    scratch.some((v) => v === 200),
    'the scratch frame holds the photo while it is on screen',
  );
  await ui.show('done', {}, 'ja');
  assert.ok(
    scratch.every((v) => v === 0),
    'zeroed once a screen without slots replaced it',
  );
  await ui.close();
});

test.run();
