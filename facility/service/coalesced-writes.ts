/**
 * The facility's broker socket writes less often: while the bytes of one read are handled, its
 * writes are held (`cork`) and leave together at the end of that event-loop turn (`uncork` in
 * `setImmediate`, after every callback and promise job the read caused). mqtt.js answers each
 * QoS 1 result with its own PUBACK write; a read holding 30 results then costs one `writev`
 * instead of 30, on the service and on the broker that reads them. Nothing waits longer than the
 * turn that made it.
 */
import type { Duplex } from 'node:stream';

type Corkable = Pick<Duplex, 'cork' | 'uncork' | 'prependListener'>;

export function coalesceWritesPerRead(stream: Corkable): void {
  if (typeof stream.cork !== 'function' || typeof stream.uncork !== 'function') return;
  stream.prependListener('data', () => {
    stream.cork();
    setImmediate(() => stream.uncork());
  });
}
