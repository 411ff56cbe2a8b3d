/**
 * A TCP proxy of our own for link fault injection (when netns + tc netem are not wanted):
 * forwards loopback connections to a target and can cut every connection (and refuse new ones),
 * partition (hold every byte for a while, connections open), add latency with jitter to every
 * chunk, and stall chunks with a probability (what a lost
 * segment costs TCP: a retransmission delay). Chunks are never dropped or reordered: TCP
 * above us would not allow that either; loss shows up as stalls and cut connections.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';

export interface LinkProfile {
  readonly delayMs?: number;
  readonly jitterMs?: number;
  /** Probability (0..1) that a chunk is held for `stallMs` (a lost TCP segment). */
  readonly stallProbability?: number;
  readonly stallMs?: number;
}

export class LossyProxy {
  #server: Server | undefined;
  #sockets = new Set<Socket>();
  #cut = false;
  #holdUntil = 0;
  profile: LinkProfile = {};
  readonly stats = { connections: 0, refused: 0, cuts: 0, stalls: 0, partitions: 0 };
  port = 0;

  constructor(
    readonly targetPort: number,
    readonly targetHost = '127.0.0.1',
  ) {}

  async start(port = 0): Promise<number> {
    const server = createServer((client) => this.#accept(client));
    this.#server = server;
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
    const a = server.address();
    this.port = typeof a === 'object' && a ? a.port : 0;
    return this.port;
  }

  #accept(client: Socket): void {
    if (this.#cut) {
      this.stats.refused += 1;
      client.destroy();
      return;
    }
    this.stats.connections += 1;
    const upstream = connect(this.targetPort, this.targetHost);
    for (const s of [client, upstream]) {
      this.#sockets.add(s);
      s.on('close', () => {
        this.#sockets.delete(s);
        (s === client ? upstream : client).destroy();
      });
      s.on('error', () => s.destroy());
    }
    this.#pipe(client, upstream);
    this.#pipe(upstream, client);
  }

  /**
   * In-order forwarding with per-chunk latency: one FIFO and one timer per direction (separate
   * timers per chunk can fire out of order when their due times coincide, and would reorder
   * the TCP stream, which no real network does).
   */
  #pipe(from: Socket, to: Socket): void {
    const queue: { chunk: Buffer; due: number }[] = [];
    let timer: NodeJS.Timeout | undefined;
    const flush = (): void => {
      timer = undefined;
      const now = Date.now();
      while (queue.length > 0 && (queue[0]?.due ?? 0) <= now) {
        const head = queue.shift();
        if (head && !to.destroyed) to.write(head.chunk);
      }
      if (queue.length > 0) timer = setTimeout(flush, Math.max(0, (queue[0]?.due ?? now) - now));
    };
    from.on('data', (chunk: Buffer) => {
      const p = this.profile;
      let delay = (p.delayMs ?? 0) + (p.jitterMs ? Math.random() * p.jitterMs : 0);
      if (p.stallProbability && Math.random() < p.stallProbability) {
        delay += p.stallMs ?? 200;
        this.stats.stalls += 1;
      }
      if (this.#holdUntil > Date.now()) delay = Math.max(delay, this.#holdUntil - Date.now());
      const last = queue[queue.length - 1];
      const due = Math.max(Date.now() + delay, last?.due ?? 0);
      if (queue.length === 0 && due <= Date.now()) {
        to.write(chunk);
        return;
      }
      queue.push({ chunk, due });
      if (!timer) timer = setTimeout(flush, Math.max(0, (queue[0]?.due ?? due) - Date.now()));
    });
    from.on('close', () => {
      if (timer) clearTimeout(timer);
    });
  }

  /**
   * A partition: nothing gets through for `ms`, but connections stay open (as when a cable is
   * pulled: no RST, TCP keeps the bytes and delivers them late); then everything flows again.
   */
  partition(ms: number): void {
    this.#holdUntil = Date.now() + ms;
    this.stats.partitions += 1;
  }

  /** Drops every connection and refuses new ones until `restore()`. */
  cut(): void {
    this.#cut = true;
    this.stats.cuts += 1;
    for (const s of this.#sockets) s.destroy();
  }

  restore(profile: LinkProfile = {}): void {
    this.#cut = false;
    this.profile = profile;
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => (this.#server ? this.#server.close(() => resolve()) : resolve()));
  }
}
