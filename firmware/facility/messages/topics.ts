/**
 * MQTT topic layout (docs/facility-protocol.md). A reader writes only under `readers/<id>/`
 * and reads only under `facility/<id>/`; the broker ACL enforces it with `%u` = reader id.
 */
export const READER_ID = /^[a-z0-9][a-z0-9-]{2,62}$/;

export const readerTopics = (readerId: string) => ({
  /** retained birth / last-will `kaoreader.status/1` */
  status: `readers/${readerId}/status`,
  /** `kaoreader.health/1`, every few seconds while connected */
  health: `readers/${readerId}/health`,
  /** `kaoreader.result/1`, QoS 1, from the outbox */
  results: `readers/${readerId}/results`,
  /** `kaoreader.request/2` (qualify, prove, register) */
  requests: `readers/${readerId}/requests`,
  /** `kaoreader.command-reply/1` */
  replies: `readers/${readerId}/replies`,
  /** facility → reader `kaoreader.ack/1`: the facility stored a result */
  acks: `facility/${readerId}/acks`,
  /** facility → reader `kaoreader.response/1` */
  responses: `facility/${readerId}/responses`,
  /** facility → reader `kaoreader.command/2` (signed: firmware/facility/commands/) */
  commands: `facility/${readerId}/commands`,
});

export type ReaderTopics = ReturnType<typeof readerTopics>;

/**
 * Retained `kaoreader.facility-status/1` from the facility consumer (last will "offline").
 * Readers deliver results and send requests only while it says "online", so nothing is
 * published into a broker that has no facility subscribed (which would cost a resend and the
 * per-reader order).
 */
export const FACILITY_STATUS_TOPIC = 'facility/status';

/** Wildcards the facility subscribes to (prefix with `$share/<group>/` to spread consumers). */
export const facilitySubscriptions = [
  'readers/+/status',
  'readers/+/health',
  'readers/+/results',
  'readers/+/requests',
  'readers/+/replies',
] as const;

/** `readers/<id>/<leaf>` → { readerId, leaf }, or undefined for anything else. */
export function parseReaderTopic(topic: string): { readerId: string; leaf: string } | undefined {
  const m = /^readers\/([^/]+)\/([^/]+)$/.exec(topic);
  if (!m?.[1] || !m[2] || !READER_ID.test(m[1])) return undefined;
  return { readerId: m[1], leaf: m[2] };
}
