/** The card contract over real pcscd + vsmartcard-vpcd with the PC/SC reader. */
import { PcscCardReader } from '../../../../firmware/platform/pcsc/pcsc-reader.ts';
import { systemClock } from '../../../../firmware/platform/system-clock.ts';
import { VpcdBridge } from '../../../../hardware-sim/card/vpcd-bridge.ts';
import { EventWaiter } from '../../../helpers/event-waiter.ts';
import { ensureQuickAckRoute, FAST_PATH_HOST } from '../../../../hardware-sim/card/fast-path.ts';
import { startPcscd, type Pcscd } from '../../../../hardware-sim/card/pcscd-process.ts';
import { cardContract, type CardHarness } from './card-contract.ts';

cardContract('card over pcscd + vpcd', async () => {
  const pcscd = await startPcscd();
  try {
    return await harness(pcscd);
  } catch (err) {
    await pcscd.stop();
    throw err;
  }
}).run();

async function harness(pcscd: Pcscd): Promise<CardHarness> {
  const reader = new PcscCardReader({ clock: systemClock, readerName: 'Virtual PCD 00 00', extendedApdu: true });
  const events = new EventWaiter(reader);
  await ensureQuickAckRoute();
  const bridge = new VpcdBridge({ host: FAST_PATH_HOST, port: pcscd.vpcdPort });
  let attached = false;
  const remove = async (): Promise<void> => {
    if (!attached) return;
    bridge.detach();
    attached = false;
    await events.next('removed');
  };
  return {
    reader,
    async insert(card) {
      await remove();
      bridge.attach(card);
      attached = true;
      await events.next('inserted');
    },
    remove,
    async close() {
      bridge.close();
      await reader.close();
      await pcscd.stop();
    },
  };
}
