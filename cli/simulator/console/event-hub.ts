/**
 * Server-sent events to every open console page. Each event kind keeps its last few messages so
 * a page opened (or reloaded) mid-visit starts with the visit so far; `state` keeps only the last.
 */
import type { ServerResponse } from 'node:http';
import type { ConsoleEvents } from './protocol.ts';

type Kind = keyof ConsoleEvents;

const KEEP: Readonly<Record<Kind, number>> = {
  state: 1,
  visit: 300,
  audit: 200,
  mqtt: 300,
  shot: 100,
  result: 20,
  scenario: 20,
  latency: 1,
  note: 20,
};

export class EventHub {
  readonly #clients = new Set<ServerResponse>();
  readonly #backlog: { kind: Kind; text: string }[] = [];

  /** Sends to every page and keeps it for pages that connect later. */
  send<K extends Kind>(kind: K, data: ConsoleEvents[K]): void {
    const text = `event: ${kind}\ndata: ${JSON.stringify(data)}\n\n`;
    this.#backlog.push({ kind, text });
    const same = this.#backlog.filter((m) => m.kind === kind);
    if (same.length > KEEP[kind]) this.#backlog.splice(this.#backlog.indexOf(same[0] as (typeof same)[number]), 1);
    for (const c of this.#clients) c.write(text);
  }

  /** The kept messages of `kind`, oldest first (parsed back). */
  kept<K extends Kind>(kind: K): ConsoleEvents[K][] {
    return this.#backlog
      .filter((m) => m.kind === kind)
      .map((m) => JSON.parse(m.text.slice(m.text.indexOf('data: ') + 6)) as ConsoleEvents[K]);
  }

  /** Turns `res` into an event stream: the backlog first, then every event until it closes. */
  attach(res: ServerResponse): void {
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive' });
    res.write(`retry: 1000\n\n${this.#backlog.map((m) => m.text).join('')}`);
    this.#clients.add(res);
    res.on('close', () => this.#clients.delete(res));
  }

  close(): void {
    for (const c of this.#clients) c.end();
    this.#clients.clear();
  }
}
