/** `facility`: the MQTT broker and how this reader authenticates to it. */
export const facilitySection = {
  type: 'object',
  additionalProperties: false,
  default: {},
  properties: {
    brokerUrl: { type: 'string', pattern: '^(mqtts?|wss?|tcp|tls)://', description: 'default in sim mode: a local mosquitto the CLI starts' },
    qualifyTimeoutMs: { type: 'integer', minimum: 100, maximum: 60000, default: 5000 },
  },
} as const;

export interface FacilityConfig {
  brokerUrl?: string;
  qualifyTimeoutMs: number;
}
