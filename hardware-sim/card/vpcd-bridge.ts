/**
 * Connects a VirtualMyNumberCard to pcscd through vsmartcard-vpcd: we are the "vicc" side, a
 * TCP client of vpcd (default 127.0.0.1:35963). Connected = card present; `detach()` closes
 * the socket (card removed). TCP_NODELAY is set so our answers leave at once (the fast path).
 * Reconnects with capped backoff while attached (pcscd restarts, vpcd not yet listening).
 */
import { Socket } from 'node:net';
import type { Logger } from '../../firmware/core/logger.ts';
import type { Clock } from '../../firmware/ports/clock.ts';
import { systemClock } from '../../firmware/platform/system-clock.ts';
import { FaultPlan, mutateResponse } from './faults.ts';
import { FrameReader, VPCD_CTRL, frame } from './vpcd-frames.ts';
import type { VirtualMyNumberCard } from './virtual-card.ts';

export interface VpcdBridgeOptions {
  readonly host?: string;
  readonly port?: number;
  readonly clock?: Clock;
  readonly log?: Logger;
  /** Reconnect backoff bounds. */
  readonly backoffMs?: { readonly min: number; readonly max: number };
}

export class VpcdBridge {
  readonly faults = new FaultPlan();
  readonly host: string;
  readonly port: number;
  readonly #clock: Clock;
  readonly #log: Logger | undefined;
  readonly #backoff: { min: number; max: number };
  #card: VirtualMyNumberCard | undefined;
  #socket: Socket | undefined;
  #connected = false;
  #retry: { cancel(): void } | undefined;
  #delay: number;
  #waiters: (() => void)[] = [];

  constructor(options: VpcdBridgeOptions = {}) {
    this.host = options.host ?? '127.0.0.1';
    this.port = options.port ?? 35963;
    this.#clock = options.clock ?? systemClock;
    this.#log = options.log;
    this.#backoff = { min: 50, max: 2000, ...options.backoffMs };
    this.#delay = this.#backoff.min;
  }

  get connected(): boolean {
    return this.#connected;
  }

  /** Inserts `card`: connects to vpcd (and keeps reconnecting until detached). */
  attach(card: VirtualMyNumberCard): void {
    this.detach();
    this.#card = card;
    this.#connect();
  }

  /** Removes the card: closes the connection. */
  detach(): void {
    this.#card = undefined;
    this.#retry?.cancel();
    this.#retry = undefined;
    this.#socket?.destroy();
    this.#socket = undefined;
    this.#connected = false;
  }

  /** Resolves once connected to vpcd, or rejects after `timeoutMs`. */
  async waitConnected(timeoutMs: number): Promise<void> {
    if (this.#connected) return;
    await new Promise<void>((resolve, reject) => {
      const t = this.#clock.setTimeout(
        () => reject(new Error(`vpcd at ${this.host}:${this.port} did not accept within ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.#waiters.push(() => {
        t.cancel();
        resolve();
      });
    });
  }

  #connect(): void {
    const card = this.#card;
    if (!card) return;
    const socket = new Socket();
    this.#socket = socket;
    socket.setNoDelay(true);
    const reader = new FrameReader();
    let chain = Promise.resolve();
    socket.on('connect', () => {
      this.#connected = true;
      this.#delay = this.#backoff.min;
      this.#log?.info('vpcd connected', { host: this.host, port: this.port });
      for (const w of this.#waiters.splice(0)) w();
    });
    socket.on('data', (chunk: Buffer) => {
      for (const payload of reader.push(chunk)) {
        chain = chain
          .then(() => this.#handle(socket, card, payload))
          .catch((err: unknown) => {
            this.#log?.error('vpcd exchange failed', { err });
            socket.destroy();
          });
      }
    });
    socket.on('error', (err) => this.#log?.debug('vpcd socket error', { err }));
    socket.on('close', () => {
      this.#connected = false;
      if (this.#socket !== socket || this.#card !== card) return;
      this.#socket = undefined;
      const delay = this.#delay;
      this.#delay = Math.min(this.#backoff.max, this.#delay * 2);
      this.#retry = this.#clock.setTimeout(() => this.#connect(), delay);
    });
    socket.connect(this.port, this.host);
  }

  async #handle(socket: Socket, card: VirtualMyNumberCard, payload: Uint8Array): Promise<void> {
    if (payload.length === 1) {
      const code = payload[0];
      if (code === VPCD_CTRL.atr) socket.write(frame(card.atr));
      else if (code === VPCD_CTRL.on || code === VPCD_CTRL.reset || code === VPCD_CTRL.off) card.powerOn();
      return;
    }
    const faults = this.faults.take();
    for (const f of faults) {
      if (f.kind === 'pull') {
        this.detach();
        return;
      }
      if (f.kind === 'slow') await this.#clock.sleep(f.delayMs);
    }
    let response = await card.transmit(payload);
    for (const f of faults) response = mutateResponse(response, f);
    if (!socket.destroyed) socket.write(frame(response));
  }

  close(): void {
    this.detach();
  }
}
