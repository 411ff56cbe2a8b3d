/**
 * Applet and file access on a My Number Card: SELECT by AID / EF id (no data may come back) and
 * READ BINARY of an exact byte range, in 256-byte short chunks or one extended read when the
 * reader allows (a read running over the EF's end answers fewer bytes with 9000). Tracks the selected applet (switching drops verified PIN state on the card).
 */
import type { CommandApdu } from '../command.ts';
import type { ApduSession } from '../session.ts';
import { MalformedResponseError, StatusWordError } from '../errors.ts';
import { SW } from '../response.ts';
import { LIMITS } from './constants.ts';

export type Applet = 'jpki' | 'card-face';

export class CardFiles {
  #applet: Applet | undefined;
  #ef: number | undefined;
  constructor(
    readonly session: ApduSession,
    readonly useExtended: boolean,
  ) {}

  get applet(): Applet | undefined {
    return this.#applet;
  }

  /** Selects an applet (no-op when already selected). Returns the SW (9000 or a card's refusal). */
  async selectApplet(applet: Applet, aid: Uint8Array, force = false): Promise<number> {
    if (!force && this.#applet === applet) return SW.OK;
    const res = await this.session.send({ cla: 0x00, ins: 0xa4, p1: 0x04, p2: 0x0c, data: aid });
    this.#applet = undefined;
    this.#ef = undefined;
    if (res.sw === SW.OK && res.data.length > 0)
      throw new MalformedResponseError('SELECT response', `${res.data.length} unexpected data byte(s)`);
    if (res.sw === SW.OK) this.#applet = applet;
    return res.sw;
  }

  async selectEf(id: number): Promise<void> {
    if (this.#ef === id) return;
    this.#ef = undefined;
    await this.session.expectNoData({ cla: 0x00, ins: 0xa4, p1: 0x02, p2: 0x0c, data: Uint8Array.from([id >> 8, id & 0xff]) });
    this.#ef = id;
  }

  /** Forgets the selected EF (after VERIFY with an SFI, which changes it on the card). */
  forgetEf(): void {
    this.#ef = undefined;
  }

  /**
   * Both reads zero each response once it is copied into `out`: the caller owns (and wipes) the
   * only copy of what the card sent.
   *
   * One READ BINARY of up to `max` bytes at `offset` into `out`: a card answers fewer bytes (with
   * 9000) when the EF ends sooner. Returns how many came (at least one).
   */
  async readUpTo(offset: number, max: number, out: Uint8Array): Promise<number> {
    const want = Math.min(max, out.length, this.useExtended ? 65535 : LIMITS.shortChunk);
    const res = await this.session.send(this.#readCommand(offset, want));
    if (res.sw !== SW.OK) throw new StatusWordError(res.sw, 'READ BINARY');
    if (res.data.length === 0 || res.data.length > want)
      throw new MalformedResponseError('READ BINARY', `asked ${want} bytes, got ${res.data.length}`);
    out.set(res.data, 0);
    res.data.fill(0); // the transport's buffer: card data (EF 0002, the photo) lives on only in `out`
    return res.data.length;
  }

  /** Reads exactly `length` bytes at `offset` of the selected EF into `out` at `at`. */
  async read(offset: number, length: number, out: Uint8Array, at = 0): Promise<void> {
    let done = 0;
    for (let guard = 0; done < length; guard++) {
      if (guard > 256) throw new MalformedResponseError('READ BINARY', 'no progress');
      const want = Math.min(length - done, this.useExtended ? 65535 : LIMITS.shortChunk);
      const res = await this.session.send(this.#readCommand(offset + done, want));
      if (res.sw !== SW.OK) throw new StatusWordError(res.sw, 'READ BINARY');
      if (res.data.length === 0 || res.data.length > want)
        throw new MalformedResponseError('READ BINARY', `asked ${want} bytes, got ${res.data.length}`);
      out.set(res.data, at + done);
      done += res.data.length;
      res.data.fill(0);
    }
  }

  #readCommand(pos: number, want: number): CommandApdu {
    if (pos + want > 0x7fff + 1) throw new MalformedResponseError('READ BINARY', `offset ${pos + want} beyond 15 bits`);
    return { cla: 0x00, ins: 0xb0, p1: (pos >> 8) & 0x7f, p2: pos & 0xff, le: want, extended: this.useExtended && want > 256 };
  }
}
