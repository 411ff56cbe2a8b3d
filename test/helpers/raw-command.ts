/**
 * Publishes bytes as a command to a reader over an MQTT client (replays, forgeries, malformed
 * input: what the facility service itself never sends) and resolves with the reader's reply
 * to `commandId`. `client` is the facility's own connection (`FacilitySimulator.mqtt`), which
 * alone may publish commands on a paired broker and is already subscribed to the replies.
 */
import type { MqttClient } from 'mqtt';
import { decode } from '../../firmware/facility/messages/codec.ts';
import { readerTopics } from '../../firmware/facility/messages/topics.ts';
import type { CommandReply } from '../../firmware/facility/messages/types.ts';

export async function rawCommand(
  client: MqttClient,
  readerId: string,
  payload: string | Buffer,
  commandId: string,
  timeoutMs = 5000,
): Promise<CommandReply> {
  const topics = readerTopics(readerId);
  let onMessage: ((topic: string, bytes: Buffer) => void) | undefined;
  let timer: NodeJS.Timeout | undefined;
  const reply = new Promise<CommandReply>((resolve, reject) => {
    onMessage = (topic, bytes) => {
      if (topic !== topics.replies) return;
      const r = decode('kaoreader.command-reply', bytes);
      if (r.commandId === commandId) resolve(r);
    };
    client.on('message', onMessage);
    timer = setTimeout(() => reject(new Error(`no reply to raw command ${commandId} within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await client.publishAsync(topics.commands, Buffer.from(payload), { qos: 1 });
    return await reply;
  } finally {
    clearTimeout(timer);
    if (onMessage) client.off('message', onMessage);
  }
}
