/** `reader`: identity and where durable state lives (outside any release directory). */
export const readerSection = {
  type: 'object',
  additionalProperties: false,
  default: {},
  properties: {
    id: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{2,62}$', description: 'reader id; default: derived from the machine id' },
    stateDir: { type: 'string', minLength: 1, default: 'var/state', description: 'outbox, keys, counters; survives updates' },
    language: { enum: ['ja', 'en', 'zh-Hans', 'zh-Hant', 'ko', 'es', 'pt', 'th', 'ne', 'id', 'vi', 'tl'], default: 'ja' },
  },
} as const;

export interface ReaderConfig {
  id?: string;
  stateDir: string;
  language: string;
}
