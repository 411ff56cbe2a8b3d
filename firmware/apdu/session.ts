/**
 * APDU session over a `CardSession` (the CardReader port): encodes commands, decodes
 * responses, follows `61xx` (GET RESPONSE `00 C0 00 00 xx`) and `6Cxx` (resend with Le = xx)
 * with an iteration cap, and puts a deadline on every exchange from the injected clock (so a
 * transport that never answers still ends in `TimeoutError`). Counts APDUs and bytes. The
 * parts of a chained answer are zeroed once joined; a single answer's `data` is a view of the
 * transport's buffer, which the reader of card data zeroes once copied (myna/files.ts).
 */
import { TimeoutError } from '../core/errors.ts';
import type { Logger } from '../core/logger.ts';
import type { Clock } from '../ports/clock.ts';
import type { CardSession, ReaderFeatures } from '../ports/card-reader.ts';
import { describeCommand, encodeCommand, type CommandApdu } from './command.ts';
import { ResponseChainError, StatusWordError, MalformedResponseError } from './errors.ts';
import { decodeResponse, SW, type ResponseApdu } from './response.ts';

export interface ApduSessionOptions {
  readonly clock: Clock;
  readonly log?: Logger;
  /** Per-exchange deadline (one command or one GET RESPONSE). */
  readonly timeoutMs?: number;
  /** Most 61xx/6Cxx follow-ups for one command. */
  readonly maxChain?: number;
  /** Most response bytes accumulated for one command (GET RESPONSE chains). */
  readonly maxResponseBytes?: number;
  readonly signal?: AbortSignal;
}

export interface ApduStats {
  commands: number;
  bytesSent: number;
  bytesReceived: number;
  /** Data bytes (without SW) received. */
  dataReceived: number;
}

export class ApduSession {
  readonly stats: ApduStats = { commands: 0, bytesSent: 0, bytesReceived: 0, dataReceived: 0 };
  readonly #card: CardSession;
  readonly #o: Required<Omit<ApduSessionOptions, 'log' | 'signal'>> & Pick<ApduSessionOptions, 'log' | 'signal'>;

  constructor(card: CardSession, options: ApduSessionOptions) {
    this.#card = card;
    this.#o = { timeoutMs: 5000, maxChain: 16, maxResponseBytes: 65538, ...options };
  }

  get features(): ReaderFeatures {
    return this.#card.features;
  }

  get atr(): Uint8Array {
    return this.#card.atr;
  }

  /**
   * Sends one command; returns the final response (any SW) after 61xx/6Cxx handling.
   * `sensitive` (PIN, 照合番号B): the encoded command bytes are zeroed once sent.
   */
  async send(command: CommandApdu, options: { sensitive?: boolean } = {}): Promise<ResponseApdu> {
    const name = describeCommand(command);
    let res = await this.#exchange(command, name, options.sensitive === true);
    let current = command;
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (let step = 0; ; step++) {
      const sw1 = res.sw >> 8;
      if (sw1 !== 0x61 && sw1 !== 0x6c) break;
      if (step >= this.#o.maxChain) throw new ResponseChainError(name, step);
      const xx = res.sw & 0xff;
      const le = xx === 0 ? 256 : xx;
      if (sw1 === 0x6c) {
        current = {
          cla: current.cla,
          ins: current.ins,
          p1: current.p1,
          p2: current.p2,
          le,
          ...(current.data ? { data: current.data } : {}),
        };
        res = await this.#exchange(current, name, options.sensitive === true); // the resend carries the secret again
      } else {
        chunks.push(res.data);
        total += res.data.length;
        if (total > this.#o.maxResponseBytes)
          throw new MalformedResponseError(`${name} response`, `more than ${this.#o.maxResponseBytes} bytes`);
        res = await this.#exchange({ cla: 0x00, ins: 0xc0, p1: 0, p2: 0, le }, name);
      }
    }
    if (chunks.length === 0) return res;
    chunks.push(res.data);
    const data = new Uint8Array(total + res.data.length);
    let at = 0;
    for (const c of chunks) {
      data.set(c, at);
      at += c.length;
      c.fill(0); // each part of a chained answer (a READ BINARY of card data) lives on only in `data`
    }
    return { data, sw: res.sw };
  }

  /** Sends and requires one of `accept` (default 9000); anything else is a StatusWordError. */
  async expect(command: CommandApdu, accept: readonly number[] = [SW.OK]): Promise<Uint8Array> {
    const res = await this.send(command);
    if (!accept.includes(res.sw)) throw new StatusWordError(res.sw, describeCommand(command));
    return res.data;
  }

  /** Sends and requires 9000 with no data (SELECT with P2 0C, VERIFY): data there is malformed. */
  async expectNoData(command: CommandApdu): Promise<void> {
    const data = await this.expect(command);
    if (data.length > 0) throw new MalformedResponseError(`${describeCommand(command)} response`, `${data.length} unexpected data byte(s)`);
  }

  async #exchange(command: CommandApdu, name: string, sensitive = false): Promise<ResponseApdu> {
    const bytes = encodeCommand(command);
    this.stats.commands++;
    this.stats.bytesSent += bytes.length;
    const timeoutMs = this.#o.timeoutMs;
    let timer: { cancel(): void } | undefined;
    const guard = new Promise<never>((_, reject) => {
      // The transport has its own deadline; this guard (with slack) catches one that hangs.
      timer = this.#o.clock.setTimeout(() => reject(new TimeoutError(`APDU ${name}`, timeoutMs)), timeoutMs + 250);
    });
    try {
      const options = this.#o.signal ? { timeoutMs, signal: this.#o.signal } : { timeoutMs };
      const raw = await Promise.race([this.#card.transmit(bytes, options), guard]);
      this.stats.bytesReceived += raw.length;
      const res = decodeResponse(raw);
      this.stats.dataReceived += res.data.length;
      this.#o.log?.debug('apdu', { cmd: name, sw: res.sw.toString(16), len: res.data.length });
      return res;
    } finally {
      timer?.cancel();
      if (sensitive) bytes.fill(0);
    }
  }
}
