/**
 * Applet and file access on a My Number Card: SELECT by AID / EF id and READ BINARY of an
 * exact byte range, in 256-byte short chunks or one extended read when the reader allows.
 * Tracks the selected applet (switching drops verified PIN state on the card).
 */
import type { ApduSession } from '../session.ts';
import { MalformedResponseError, StatusWordError } from '../errors.ts';
import { SW } from '../response.ts';
import { LIMITS } from './constants.ts';

export type Applet = 'jpki' | 'card-face';

export class CardFiles {
  #applet: Applet | undefined;
  #ef: number | undefined;
  constructor(readonly session: ApduSession, readonly useExtended: boolean) {}

  get applet(): Applet | undefined {
    return this.#applet;
  }

  /** Selects an applet (no-op when already selected). Returns the SW (9000 or a card's refusal). */
  async selectApplet(applet: Applet, aid: Uint8Array, force = false): Promise<number> {
    if (!force && this.#applet === applet) return SW.OK;
    const res = await this.session.send({ cla: 0x00, ins: 0xa4, p1: 0x04, p2: 0x0c, data: aid });
    this.#applet = res.sw === SW.OK ? applet : undefined;
    this.#ef = undefined;
    return res.sw;
  }

  async selectEf(id: number): Promise<void> {
    if (this.#ef === id) return;
    this.#ef = undefined;
    await this.session.expect({ cla: 0x00, ins: 0xa4, p1: 0x02, p2: 0x0c, data: Uint8Array.from([id >> 8, id & 0xff]) });
    this.#ef = id;
  }

  /** Forgets the selected EF (after VERIFY with an SFI, which changes it on the card). */
  forgetEf(): void {
    this.#ef = undefined;
  }

  /** Reads exactly `length` bytes at `offset` of the selected EF into `out` at `at`. */
  async read(offset: number, length: number, out: Uint8Array, at = 0): Promise<void> {
    if (offset + length > 0x7fff + 1) throw new MalformedResponseError('READ BINARY', `offset ${offset + length} beyond 15 bits`);
    let done = 0;
    for (let guard = 0; done < length; guard++) {
      if (guard > 256) throw new MalformedResponseError('READ BINARY', 'no progress');
      const want = Math.min(length - done, this.useExtended ? 65535 : LIMITS.shortChunk);
      const pos = offset + done;
      const command = { cla: 0x00, ins: 0xb0, p1: (pos >> 8) & 0x7f, p2: pos & 0xff, le: want, extended: this.useExtended && want > 256 };
      const res = await this.session.send(command);
      if (res.sw !== SW.OK) throw new StatusWordError(res.sw, 'READ BINARY');
      if (res.data.length === 0 || res.data.length > want) throw new MalformedResponseError('READ BINARY', `asked ${want} bytes, got ${res.data.length}`);
      out.set(res.data, at + done);
      done += res.data.length;
    }
  }
}
