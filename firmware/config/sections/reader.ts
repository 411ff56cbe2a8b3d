/**
 * `reader`: identity and where durable state lives. The state directory is absolute and outside
 * any release directory (a relative one would land inside the running release and be pruned
 * with it on update); the simulator and `npm start` choose their own temporary directory.
 */
import { LANGS } from '../../ports/language.ts';

export const DEFAULT_STATE_DIR = '/var/lib/kaoreader';

export const readerSection = {
  type: 'object',
  additionalProperties: false,
  default: {},
  properties: {
    id: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{2,62}$', description: 'reader id; default: derived from the machine id' },
    stateDir: {
      type: 'string',
      pattern: '^/',
      default: DEFAULT_STATE_DIR,
      description: 'absolute: outbox, keys, counters; survives updates',
    },
    language: { enum: LANGS, default: 'ja' },
  },
} as const;

export interface ReaderConfig {
  id?: string;
  stateDir: string;
  language: string;
}
