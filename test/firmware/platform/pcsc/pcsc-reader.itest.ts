/**
 * PC/SC reader supervision against a real pcscd: no pcscd at start (keeps retrying, no crash),
 * pcscd appears → reader + card seen, card pulled between and during commands →
 * CardRemovedError, slow card → TimeoutError, pcscd killed
 * → reader-gone, restarted → reader-back and the card again.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CardRemovedError, ReaderGoneError } from '../../../../firmware/apdu/errors.ts';
import { TimeoutError } from '../../../../firmware/core/errors.ts';
import { PcscCardReader } from '../../../../firmware/platform/pcsc/pcsc-reader.ts';
import { systemClock } from '../../../../firmware/platform/system-clock.ts';
import { ensureQuickAckRoute, FAST_PATH_HOST } from '../../../../hardware-sim/card/fast-path.ts';
import { planPcscd, startPcscd, type Pcscd } from '../../../../hardware-sim/card/pcscd-process.ts';
import { VpcdBridge } from '../../../../hardware-sim/card/vpcd-bridge.ts';
import { EventWaiter } from '../../../helpers/event-waiter.ts';
import { exitWhenDone } from '../../../helpers/exit-when-done.ts';
import { makeTestCard } from '../../../helpers/sim-card.ts';

const SELECT_JPKI = new Uint8Array(Buffer.from('00a4040c0ad392f000260100000001', 'hex'));
let pcscd: Pcscd | undefined;

test.after(async () => {
  await pcscd?.stop();
  exitWhenDone();
});

test('survives pcscd absent, then restarts, with the card coming back', async () => {
  await ensureQuickAckRoute();
  const place = await planPcscd(); // a private socket nothing listens on yet, even with a system pcscd up
  const { card } = await makeTestCard();
  const reader = new PcscCardReader({ clock: systemClock, readerName: 'Virtual PCD 00 00', backoffMs: { min: 100, max: 400 } });
  const events = new EventWaiter(reader);
  await reader.connect().then(
    () => assert.unreachable(),
    (e: unknown) => assert.instance(e, ReaderGoneError),
  );
  await new Promise((r) => setTimeout(r, 500)); // a few failed retries while pcscd is down
  pcscd = await startPcscd(place);
  const bridge = new VpcdBridge({ host: FAST_PATH_HOST, port: pcscd.vpcdPort, backoffMs: { min: 50, max: 200 } });
  bridge.attach(card);
  await events.next('inserted', 8000);
  let session = await reader.connect();
  const ok = await session.transmit(SELECT_JPKI, { timeoutMs: 2000 });
  assert.is(Buffer.from(ok).toString('hex'), '9000');

  bridge.detach();
  await events.next('removed', 5000);
  await session.transmit(SELECT_JPKI, { timeoutMs: 2000 }).then(
    () => assert.unreachable(),
    (e: unknown) => assert.instance(e, CardRemovedError),
  );

  bridge.attach(card);
  await events.next('inserted', 5000);
  session = await reader.connect();
  bridge.faults.add({ kind: 'slow', delayMs: 1200 });
  await session.transmit(SELECT_JPKI, { timeoutMs: 300 }).then(
    () => assert.unreachable(),
    (e: unknown) => assert.instance(e, TimeoutError),
  );
  await new Promise((r) => setTimeout(r, 1200));
  bridge.faults.add({ kind: 'pull' });
  await session.transmit(SELECT_JPKI, { timeoutMs: 3000 }).then(
    () => assert.unreachable(),
    (e: unknown) => assert.instance(e, CardRemovedError),
  );
  await events.next('removed', 5000);

  bridge.attach(card);
  await events.next('inserted', 5000);
  await pcscd.stop();
  pcscd = undefined;
  await events.next('reader-gone', 8000);
  pcscd = await startPcscd(place);
  await events.next('reader-back', 10_000);
  await events.next('inserted', 8000);
  session = await reader.connect();
  assert.is(Buffer.from(await session.transmit(SELECT_JPKI, { timeoutMs: 2000 })).toString('hex'), '9000');
  bridge.close();
  await reader.close();
});

test.run();
