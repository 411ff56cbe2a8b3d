/**
 * Card data does not outlive its copy: every READ BINARY answer the transport hands up (EF 0002's
 * name/address images and birth date, the photo, the certificates) is zero once the client has
 * copied it out, with extended reads and in 256-byte short chunks. The spy keeps the very
 * buffers the reader returned.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MyNumberCardClient } from '../../../../firmware/apdu/myna/client.ts';
import type { CardSession } from '../../../../firmware/ports/card-reader.ts';
import { systemClock } from '../../../../firmware/platform/system-clock.ts';
import { SimCardReader } from '../../../../hardware-sim/card/sim-card-reader.ts';
import { ascii, makeTestCard } from '../../../helpers/sim-card.ts';

interface Seen {
  readonly command: Uint8Array;
  readonly response: Uint8Array;
  /** The data bytes (SW excluded) as they were when handed up. */
  readonly before: Buffer;
}

function spying(session: CardSession): { session: CardSession; seen: Seen[] } {
  const seen: Seen[] = [];
  return {
    seen,
    session: {
      atr: session.atr,
      features: session.features,
      disconnect: (d) => session.disconnect(d),
      async transmit(command, options) {
        const response = await session.transmit(command, options);
        seen.push({ command: command.slice(), response, before: Buffer.from(response.subarray(0, response.length - 2)) });
        return response;
      },
    },
  };
}

for (const extendedApdu of [true, false]) {
  test(`READ BINARY answers are zeroed once copied (${extendedApdu ? 'extended' : 'short'} APDUs)`, async () => {
    const tc = await makeTestCard({ id: `wipe-${String(extendedApdu)}` });
    const reader = new SimCardReader({ features: { extendedApdu } });
    reader.insert(tc.card);
    const spy = spying(await reader.connect());
    const c = await MyNumberCardClient.open(spy.session, { clock: systemClock, trust: tc.trust });
    await c.readUserAuthCertificate();
    await c.verifyVerificationNumberB(ascii(tc.verificationNumberB));
    const face = await c.readCardFace();
    const reads = spy.seen.filter((s) => s.command[1] === 0xb0);
    const bytes = reads.reduce((n, s) => n + s.before.length, 0);
    assert.ok(bytes > face.photo.length, `${bytes} bytes read`);
    for (const s of reads) {
      assert.ok(s.before.some((b) => b !== 0) || s.before.length === 0, 'the spy saw the card data');
      const data = s.response.subarray(0, s.response.length - 2);
      assert.ok(
        data.every((b) => b === 0),
        `READ BINARY ${Buffer.from(s.command.subarray(2, 4)).toString('hex')}: ${data.length} byte(s) not zeroed`,
      );
    }
    await spy.session.disconnect('reset');
  });
}

test.run();
