/**
 * `facility`: the MQTT broker and how this reader authenticates to it. Pairing material
 * (certificate, CA, broker URL, facility id) comes from `<reader.stateDir>/facility/pairing.json`
 * (`kaoreader facility install`); `brokerUrl` here overrides only the URL.
 */
export const facilitySection = {
  type: 'object',
  additionalProperties: false,
  default: {},
  properties: {
    brokerUrl: {
      type: 'string',
      pattern: '^mqtts://',
      description: 'TLS only (mqtts://host:port); overrides the paired broker URL. Sim mode starts its own local broker',
    },
    qualifyTimeoutMs: { type: 'integer', minimum: 100, maximum: 60000, default: 5000 },
    protocolVersion: { enum: [4, 5], default: 5, description: '5 = MQTT 5, 4 = MQTT 3.1.1' },
    outboxMaxBytes: { type: 'integer', minimum: 65536, maximum: 4294967296, default: 67108864 },
    window: { type: 'integer', minimum: 1, maximum: 1000, default: 32, description: 'results in flight without a facility ack' },
    ackTimeoutMs: { type: 'integer', minimum: 200, maximum: 600000, default: 5000 },
    healthIntervalMs: { type: 'integer', minimum: 1000, maximum: 3600000, default: 30000 },
  },
} as const;

export interface FacilityConfig {
  brokerUrl?: string;
  qualifyTimeoutMs: number;
  protocolVersion: 4 | 5;
  outboxMaxBytes: number;
  window: number;
  ackTimeoutMs: number;
  healthIntervalMs: number;
}
