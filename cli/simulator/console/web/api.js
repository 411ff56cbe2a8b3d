// @ts-check
/** The console server's requests, typed by ../protocol.ts. */

/** @typedef {import('../protocol.ts').ErrorReply} ErrorReply */

export class ConsoleRequestError extends Error {
  /** @param {string} code @param {string} message */
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

/**
 * GET or POST JSON; a refusal (4xx/5xx) becomes ConsoleRequestError with the server's reason.
 * @template T
 * @param {string} path
 * @param {unknown} [body]
 * @returns {Promise<T>}
 */
export async function call(path, body) {
  const res = await fetch(path, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const data = await res.json();
  if (!res.ok) {
    const e = /** @type {ErrorReply} */ (data).error;
    throw new ConsoleRequestError(e.code, e.message);
  }
  return /** @type {T} */ (data);
}
