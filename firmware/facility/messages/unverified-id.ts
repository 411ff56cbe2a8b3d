/**
 * The id of a message that failed validation, read without trusting it, only to label the error
 * reply so the sender can match it: both sides (the reader's command dispatcher, the facility's
 * consumer) use this one reader. Any JSON value may arrive (`null`, an array, a number): each is
 * checked to be an object before a field is read. A signed command (`kaoreader.command/2`) keeps
 * its id inside `body` (base64 JSON), which is read the same way.
 */

/** A UUID as both sides write ids (lower-case hex and dashes). */
const ID = /^[0-9a-f-]{36}$/;

/** `bytes` as a JSON object; undefined when not JSON or JSON but not an object (null, array, number, string). */
export function jsonObject(bytes: Uint8Array): Readonly<Record<string, unknown>> | undefined {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (err) {
    if (err instanceof SyntaxError) return undefined; // not JSON: nothing to read
    throw err;
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** The `id` of a result or request; undefined when there is no usable one. */
export function unverifiedId(payload: Uint8Array): string | undefined {
  const id = jsonObject(payload)?.id;
  return typeof id === 'string' && ID.test(id) ? id : undefined;
}

/** The id of a command: inside its base64 `body` when it has one, else its own `id`. */
export function unverifiedCommandId(payload: Uint8Array): string | undefined {
  const outer = jsonObject(payload);
  if (!outer) return undefined;
  return typeof outer.body === 'string' ? unverifiedId(Buffer.from(outer.body, 'base64')) : unverifiedId(payload);
}
