/**
 * Where a simulated reader's virtual card goes in: the in-process SimCardReader (fast, no
 * daemons), or the product's own path, the PC/SC reader driver talking to a private pcscd whose
 * vpcd reader the card is attached to over the quick-ACK loopback route (the fast path). The
 * visit sees only the CardReader port either way; `insert`/`remove` are the patient's hands.
 */
import type { FaultPlan } from '../../hardware-sim/card/faults.ts';
import type { Logger } from '../../firmware/core/logger.ts';
import type { CardReader } from '../../firmware/ports/card-reader.ts';
import type { Clock } from '../../firmware/ports/clock.ts';
import { SimCardReader } from '../../hardware-sim/card/sim-card-reader.ts';
import type { VirtualMyNumberCard } from '../../hardware-sim/card/virtual-card.ts';

export type CardWiring = 'in-process' | 'pcscd';

export interface CardSlot {
  readonly wiring: CardWiring;
  readonly reader: CardReader;
  /** The card in the slot now, if any. */
  readonly card: VirtualMyNumberCard | undefined;
  insert(card: VirtualMyNumberCard): void;
  remove(): void;
  /** Faults on the next commands the reader sends to the card in this slot (a bad contact…). */
  readonly faults: FaultPlan;
  /** Releases the reader (and stops pcscd when this slot started one). */
  close(): Promise<void>;
}

export function inProcessSlot(clock: Clock): CardSlot {
  const reader = new SimCardReader({ clock });
  return {
    wiring: 'in-process',
    reader,
    get card() {
      return reader.card;
    },
    insert: (card) => reader.insert(card),
    remove: () => reader.remove(),
    close: () => reader.close(),
    faults: reader.faults,
  };
}

/** A private pcscd + vpcd (root), the PC/SC driver on it, and the card attached through vpcd. */
export async function pcscdSlot(clock: Clock, log: Logger): Promise<CardSlot> {
  const { startPcscd } = await import('../../hardware-sim/card/pcscd-process.ts');
  const { ensureQuickAckRoute, FAST_PATH_HOST } = await import('../../hardware-sim/card/fast-path.ts');
  await ensureQuickAckRoute();
  const pcscd = await startPcscd();
  try {
    const slot = await vpcdSlot(clock, log, { host: FAST_PATH_HOST, port: pcscd.vpcdPort });
    return {
      ...slot,
      get card() {
        return slot.card;
      },
      async close() {
        await slot.close();
        await pcscd.stop();
      },
    };
  } catch (err) {
    await pcscd.stop();
    throw err;
  }
}

/**
 * The card attached through vpcd at `vpcd` to a pcscd already running (the host's, or a private
 * one named by PCSCLITE_CSOCK_NAME, as every PC/SC client finds it), read by the PC/SC driver:
 * `kaoreader sim visit --vpcd` and `hardware.sim.vpcd`, e.g. a release emulated on another arch.
 */
export async function vpcdSlot(
  clock: Clock,
  log: Logger,
  vpcd: { readonly host: string; readonly port: number },
  readerName = 'Virtual PCD 00 00',
): Promise<CardSlot> {
  const { VpcdBridge } = await import('../../hardware-sim/card/vpcd-bridge.ts');
  const { PcscCardReader } = await import('../../firmware/platform/pcsc/pcsc-reader.ts');
  const reader = new PcscCardReader({ clock, log: log.child('pcsc'), readerName, extendedApdu: true });
  const bridge = new VpcdBridge({ host: vpcd.host, port: vpcd.port, clock, log: log.child('vpcd') });
  let inSlot: VirtualMyNumberCard | undefined;
  return {
    wiring: 'pcscd',
    reader,
    get card() {
      return inSlot;
    },
    insert: (card) => {
      inSlot = card;
      bridge.attach(card);
    },
    remove: () => {
      inSlot = undefined;
      bridge.detach();
    },
    faults: bridge.faults,
    async close() {
      inSlot = undefined;
      bridge.close();
      await reader.close();
    },
  };
}
