/**
 * A virtual My Number Card: takes command APDU bytes, answers response APDU bytes, like the
 * chip. Exactly the applets, files, commands and status words of spec card-apdu.md; anything
 * else gets the answer a card gives (6E00, 6D00, 6A82, 6A86, 6700, 6881…), never 9000. A READ
 * BINARY running over the end of an EF answers the bytes up to the end with 9000; one starting
 * past the end answers 6B00. Retry counters persist through a Store; volatile state resets on
 * power-on (insertion, a reset or power-off disconnect) and on selecting another applet.
 */
import { randomBytes } from 'node:crypto';
import { decodeCommand } from '../../firmware/apdu/command-decode.ts';
import type { CommandApdu } from '../../firmware/apdu/command.ts';
import { InvalidCommandError } from '../../firmware/apdu/errors.ts';
import { encodeResponse, SW } from '../../firmware/apdu/response.ts';
import type { Store } from '../../firmware/ports/store.ts';
import { ATR, buildApplets, type AppletDef, type CardContents } from './applets.ts';
import { freshState, sw, type CardState, type Reply } from './card-state.ts';
import { RetryCounters } from './counters.ts';
import { computeSignature, getChallenge, terminalAuthenticate, verifyCommand } from './security-commands.ts';

export interface VirtualCardOptions {
  /** Names the counters in the store; one per physical (virtual) card. */
  readonly id: string;
  readonly contents: CardContents;
  /** Where PIN / 照合番号B counters persist. */
  readonly counters: Store;
  readonly random?: (n: number) => Uint8Array;
}

export class VirtualMyNumberCard {
  readonly id: string;
  readonly atr: Uint8Array = ATR;
  readonly counters: RetryCounters;
  /** Commands processed since construction (for tests and benches). */
  commandCount = 0;
  readonly #applets: readonly AppletDef[];
  readonly #random: (n: number) => Uint8Array;
  #state: CardState = freshState();

  /** The user-auth certificate (DER) the card holds: what a test harness keys the facility's records by. */
  readonly authCertificate: Uint8Array;

  constructor(options: VirtualCardOptions) {
    this.id = options.id;
    this.authCertificate = options.contents.authCertificate;
    this.#applets = buildApplets(options.contents);
    this.counters = new RetryCounters(options.id, options.counters);
    this.#random = options.random ?? ((n) => new Uint8Array(randomBytes(n)));
  }

  /** Power-on / reset: selection, verified secrets and challenges are gone. */
  powerOn(): void {
    this.#state = freshState();
  }

  get terminalAuthenticated(): boolean {
    return this.#state.terminalAuthenticated;
  }

  async transmit(bytes: Uint8Array): Promise<Uint8Array> {
    this.commandCount++;
    let c: CommandApdu;
    try {
      c = decodeCommand(bytes);
    } catch (err) {
      if (err instanceof InvalidCommandError) return encodeResponse({ data: new Uint8Array(0), sw: SW.WRONG_LENGTH });
      throw err;
    }
    const r = await this.#dispatch(c);
    return encodeResponse({ data: r.data ?? new Uint8Array(0), sw: r.sw });
  }

  async #dispatch(c: CommandApdu): Promise<Reply> {
    if ((c.cla & 0x7c) === 0 && (c.cla & 0x03) !== 0) return sw(SW.CHANNEL_NOT_SUPPORTED); // logical channels 1-3 of CLA 00/80
    const key = (c.cla << 8) | c.ins;
    switch (key) {
      case 0x00a4:
        return this.#select(c);
      case 0x00b0:
        return this.#readBinary(c);
      case 0x0020:
        return verifyCommand(this.#state, c, this.counters);
      case 0x0084:
        return getChallenge(this.#state, c, this.#random);
      case 0x802a:
        return computeSignature(this.#state, c);
      case 0x80a2:
        return terminalAuthenticate(this.#state, c);
      default:
        if (c.cla !== 0x00 && c.cla !== 0x80) return sw(SW.CLA_NOT_SUPPORTED);
        return sw(SW.INS_NOT_SUPPORTED);
    }
  }

  #select(c: CommandApdu): Reply {
    if (c.data === undefined) return sw(SW.WRONG_LENGTH);
    if (c.p2 !== 0x0c && c.p2 !== 0x00) return sw(SW.WRONG_P1P2);
    if (c.p1 === 0x04) {
      const applet = this.#applets.find((a) => Buffer.compare(a.aid, c.data ?? new Uint8Array(0)) === 0);
      if (applet && applet === this.#state.applet) {
        // Selecting the applet already selected does not leave it: its security state (verified
        // secrets) stays, as ISO 7816-4 ties it to the DF; only *another* applet drops it (spec
        // §Transport). The worst case a reader must expect from a card left in the slot.
        this.#state.ef = undefined;
        this.#state.challenge = undefined;
        return sw(SW.OK);
      }
      this.#state = freshState();
      if (!applet) return sw(SW.NOT_FOUND);
      this.#state.applet = applet;
      return sw(SW.OK);
    }
    if (c.p1 === 0x02) {
      if (c.data.length !== 2) return sw(SW.WRONG_LENGTH);
      const id = ((c.data[0] ?? 0) << 8) | (c.data[1] ?? 0);
      if (!this.#state.applet?.files.has(id)) return sw(SW.NOT_FOUND);
      this.#state.ef = id;
      this.#state.challenge = undefined;
      return sw(SW.OK);
    }
    return sw(SW.WRONG_P1P2);
  }

  #readBinary(c: CommandApdu): Reply {
    if (c.data !== undefined || c.le === undefined) return sw(SW.WRONG_LENGTH);
    const app = this.#state.applet;
    let id = this.#state.ef;
    let offset = ((c.p1 & 0x7f) << 8) | c.p2;
    if ((c.p1 & 0x80) !== 0) {
      if ((c.p1 & 0x60) !== 0) return sw(SW.WRONG_P1P2);
      id = c.p1 & 0x1f;
      offset = c.p2;
      if (!app?.files.has(id)) return sw(SW.NOT_FOUND);
      this.#state.ef = id;
    }
    if (!app || id === undefined) return sw(SW.NO_CURRENT_EF);
    const ef = app.files.get(id);
    if (!ef) return sw(SW.NO_CURRENT_EF);
    if (ef.kind !== 'data') return sw(0x6981);
    if (ef.after && !ef.after.some((s) => this.#state.verified.has(s))) return sw(SW.SECURITY_NOT_SATISFIED);
    if (offset >= ef.data.length) return sw(SW.WRONG_P1P2_OFFSET);
    const end = Math.min(ef.data.length, offset + c.le);
    return { data: ef.data.slice(offset, end), sw: SW.OK };
  }
}
