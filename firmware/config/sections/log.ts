/** `log`: levels overall and per namespace. */
export const logSection = {
  type: 'object',
  additionalProperties: false,
  default: {},
  properties: {
    level: { enum: ['debug', 'info', 'warn', 'error'], default: 'info' },
    levels: { type: 'object', additionalProperties: { enum: ['debug', 'info', 'warn', 'error'] }, default: {} },
  },
} as const;

export interface LogConfig {
  level: 'debug' | 'info' | 'warn' | 'error';
  levels: Record<string, 'debug' | 'info' | 'warn' | 'error'>;
}
