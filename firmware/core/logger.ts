/**
 * Structured, namespaced logging (`apdu`, `face`, `mqtt`…) with a level per namespace, and a
 * separate audit stream for authentication decisions. Lines are JSON, one per record.
 *
 * Secrets never reach a log: values that are typed arrays or Buffers are replaced by
 * `[bytes:N]`, and fields whose names look secret (pin, password, image, photo, frame,
 * embedding, privateKey, pairingCode, verificationNumberB, birthDate…) are replaced by `[redacted]`, recursively.
 */
export type Level = 'debug' | 'info' | 'warn' | 'error';
export type Fields = Readonly<Record<string, unknown>>;

export interface Logger {
  readonly namespace: string;
  debug(msg: string, fields?: Fields): void;
  info(msg: string, fields?: Fields): void;
  warn(msg: string, fields?: Fields): void;
  error(msg: string, fields?: Fields): void;
  /** A logger for a sub-namespace: `log.child('pcsc')` → `apdu:pcsc`. */
  child(namespace: string): Logger;
}

/** Authentication decisions (method, outcome, reason) for the facility's audit trail. */
export interface AuditLog {
  record(event: string, fields: Fields): void;
}

export interface LogSink {
  write(line: string): void;
}

const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const SECRET_KEY =
  /pin|passw|secret|private|image|photo|frame|embedding|descriptor|challengeResponse|token|pairing|verificationNumberB|birth/i;

export function redact(value: unknown, depth = 0): unknown {
  if (ArrayBuffer.isView(value)) return `[bytes:${value.byteLength}]`;
  if (value instanceof ArrayBuffer) return `[bytes:${value.byteLength}]`;
  if (value instanceof Error) return { name: value.name, message: value.message, code: (value as { code?: unknown }).code };
  if (value === null || typeof value !== 'object') return value;
  if (depth > 4) return '[deep]';
  if (Array.isArray(value)) return value.slice(0, 50).map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEY.test(k) ? '[redacted]' : redact(v, depth + 1);
  return out;
}

export interface LoggerOptions {
  readonly sink: LogSink;
  readonly level: Level;
  /** Per-namespace overrides; the longest matching prefix wins (`apdu` covers `apdu:pcsc`). */
  readonly levels?: Readonly<Record<string, Level>>;
  readonly now?: () => number;
}

class JsonLogger implements Logger {
  readonly #threshold: number;
  constructor(
    readonly namespace: string,
    readonly options: LoggerOptions,
  ) {
    this.#threshold = ORDER[levelFor(namespace, options)];
  }
  #emit(level: Level, msg: string, fields?: Fields): void {
    if (ORDER[level] < this.#threshold) return;
    const now = this.options.now?.() ?? Date.now();
    const rec = { t: new Date(now).toISOString(), level, ns: this.namespace, msg, ...(fields ? (redact(fields) as object) : {}) };
    this.options.sink.write(JSON.stringify(rec));
  }
  debug(msg: string, fields?: Fields): void {
    this.#emit('debug', msg, fields);
  }
  info(msg: string, fields?: Fields): void {
    this.#emit('info', msg, fields);
  }
  warn(msg: string, fields?: Fields): void {
    this.#emit('warn', msg, fields);
  }
  error(msg: string, fields?: Fields): void {
    this.#emit('error', msg, fields);
  }
  child(namespace: string): Logger {
    return new JsonLogger(this.namespace ? `${this.namespace}:${namespace}` : namespace, this.options);
  }
}

function levelFor(namespace: string, options: LoggerOptions): Level {
  let best: { len: number; level: Level } | undefined;
  for (const [prefix, level] of Object.entries(options.levels ?? {})) {
    if ((namespace === prefix || namespace.startsWith(`${prefix}:`)) && (!best || prefix.length > best.len))
      best = { len: prefix.length, level };
  }
  return best?.level ?? options.level;
}

export function createLogger(options: LoggerOptions, namespace = ''): Logger {
  return new JsonLogger(namespace, options);
}

export function createAuditLog(sink: LogSink, now: () => number = Date.now): AuditLog {
  return {
    record(event, fields) {
      sink.write(JSON.stringify({ t: new Date(now()).toISOString(), audit: event, ...(redact(fields) as object) }));
    },
  };
}

/** Collects lines in memory (tests, `request logs` command ring buffer). */
export class MemorySink implements LogSink {
  readonly lines: string[] = [];
  constructor(readonly capacity = 10_000) {}
  write(line: string): void {
    this.lines.push(line);
    if (this.lines.length > this.capacity) this.lines.shift();
  }
  records(): Record<string, unknown>[] {
    return this.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  }
}

export const stderrSink: LogSink = {
  write: (line) => {
    process.stderr.write(`${line}\n`);
  },
};

/** A logger that drops everything (benches, CLI one-shots that print their own output). */
export const silentLogger: Logger = createLogger({ sink: { write: () => undefined }, level: 'error' });
