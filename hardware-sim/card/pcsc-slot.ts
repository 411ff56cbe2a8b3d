/**
 * The simulator's card slot on the production card path: the firmware reads the card with the
 * PC/SC driver (PcscCardReader, pcsclite → pcscd) and the virtual card goes in and out through
 * vsmartcard-vpcd (VpcdBridge, our side of the reader's socket). Same `insert`/`remove` as the
 * in-process SimCardReader, so a scripted patient drives either. pcscd is found the way every
 * PC/SC client finds it (PCSCLITE_CSOCK_NAME for a private one, see pcscd-process.ts).
 */
import type { Logger } from '../../firmware/core/logger.ts';
import { PcscCardReader } from '../../firmware/platform/pcsc/pcsc-reader.ts';
import type { CardEvent, CardReader, CardSession, ReaderFeatures } from '../../firmware/ports/card-reader.ts';
import type { Clock } from '../../firmware/ports/clock.ts';
import type { VirtualMyNumberCard } from './virtual-card.ts';
import { VpcdBridge } from './vpcd-bridge.ts';

/** A slot a simulated patient puts a card into: in-process (SimCardReader) or through pcscd (PcscSlot). */
export interface SimCardSlot extends CardReader {
  /** The card in the slot, if any. */
  readonly card: VirtualMyNumberCard | undefined;
  insert(card: VirtualMyNumberCard): void;
  remove(): void;
}

export interface PcscSlotOptions {
  readonly clock: Clock;
  readonly log: Logger;
  /** vpcd's socket for reader `Virtual PCD 00 00` (/etc/reader.conf.d/vpcd: port 35963). */
  readonly vpcd: { readonly host: string; readonly port: number };
  /** PC/SC reader name (substring); default the vpcd reader on that port. */
  readonly readerName?: string;
}

export class PcscSlot implements SimCardSlot {
  readonly #reader: PcscCardReader;
  readonly #bridge: VpcdBridge;
  #card: VirtualMyNumberCard | undefined;

  constructor(o: PcscSlotOptions) {
    this.#reader = new PcscCardReader({ clock: o.clock, log: o.log.child('pcsc'), readerName: o.readerName ?? 'Virtual PCD 00 00', extendedApdu: true });
    this.#bridge = new VpcdBridge({ host: o.vpcd.host, port: o.vpcd.port, clock: o.clock, log: o.log.child('vpcd') });
  }

  get name(): string {
    return this.#reader.name;
  }

  get features(): ReaderFeatures {
    return this.#reader.features;
  }

  events(): AsyncIterable<CardEvent> {
    return this.#reader.events();
  }

  connect(): Promise<CardSession> {
    return this.#reader.connect();
  }

  get card(): VirtualMyNumberCard | undefined {
    return this.#card;
  }

  insert(card: VirtualMyNumberCard): void {
    this.#card = card;
    this.#bridge.attach(card);
  }

  remove(): void {
    this.#card = undefined;
    this.#bridge.detach();
  }

  async close(): Promise<void> {
    this.#bridge.close();
    await this.#reader.close();
  }
}
