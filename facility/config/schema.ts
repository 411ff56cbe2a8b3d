/**
 * The facility service's configuration (`kaoreader facility serve --config FILE`, YAML or
 * JSON): one JSON Schema, validated at start with every problem reported at once, defaults
 * filled in. Secrets (a database password) belong in the URL's environment, not here: `store.url`
 * may name `${ENV_VAR}`s, expanded at load.
 */
export const facilityConfigSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['facilityId', 'broker', 'store', 'trust'],
  properties: {
    facilityId: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{2,62}$' },
    broker: {
      type: 'object',
      additionalProperties: false,
      required: ['url'],
      properties: {
        url: { type: 'string', pattern: '^(mqtts?|tcp|tls)://' },
        caDir: { type: 'string', minLength: 1, description: 'facility CA directory (kaoreader facility init-ca): TLS as CN=facility' },
        protocolVersion: { enum: [4, 5], default: 5 },
        clientId: { type: 'string', minLength: 1, maxLength: 64 },
        shareGroup: {
          type: 'string',
          pattern: '^[A-Za-z0-9_-]{1,40}$',
          description: 'split readers between several services ($share/<group>/…)',
        },
      },
    },
    store: {
      oneOf: [
        {
          type: 'object',
          additionalProperties: false,
          required: ['kind', 'path'],
          properties: { kind: { const: 'sqlite' }, path: { type: 'string', minLength: 1 } },
        },
        {
          type: 'object',
          additionalProperties: false,
          required: ['kind', 'url'],
          properties: {
            kind: { const: 'postgres' },
            url: { type: 'string', pattern: '^postgres(ql)?://' },
            poolSize: { type: 'integer', minimum: 1, maximum: 64, description: 'connections (default 4)' },
          },
        },
      ],
    },
    trust: {
      type: 'object',
      additionalProperties: false,
      required: ['jpkiUserAuthCa', 'crl'],
      properties: {
        jpkiUserAuthCa: {
          type: 'array',
          minItems: 1,
          items: { type: 'string', minLength: 1 },
          description: 'PEM/DER files of the JPKI user-auth CA certificate(s)',
        },
        crl: {
          type: 'array',
          minItems: 1,
          items: {
            oneOf: [
              { type: 'object', additionalProperties: false, required: ['file'], properties: { file: { type: 'string', minLength: 1 } } },
              {
                type: 'object',
                additionalProperties: false,
                required: ['url'],
                properties: { url: { type: 'string', pattern: '^https?://' } },
              },
            ],
          },
        },
        crlRefreshSeconds: { type: 'integer', minimum: 10, maximum: 604800, default: 3600 },
        crlGraceSeconds: {
          type: 'integer',
          minimum: 0,
          maximum: 2592000,
          default: 86400,
          description: 'a CRL past its nextUpdate is still used this long when no newer one can be fetched',
        },
        crlMaxAgeSeconds: {
          type: 'integer',
          minimum: 60,
          maximum: 2592000,
          description: 'a CRL without nextUpdate is used this long after its thisUpdate (default: 24 × crlRefreshSeconds)',
        },
      },
    },
    challengeTtlSeconds: { type: 'integer', minimum: 10, maximum: 3600, default: 300 },
    qualification: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        provider: {
          enum: ['simulated'],
          default: 'simulated',
          description: 'the only provider that ships; a real one implements QualificationProvider',
        },
        timeoutMs: { type: 'integer', minimum: 100, maximum: 60000, default: 4000 },
      },
    },
    visit: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        consentItems: {
          type: 'array',
          maxItems: 32,
          uniqueItems: true,
          items: { type: 'string', pattern: '^[a-z][a-zA-Z0-9-]{0,40}$' },
          default: ['surgery', 'treatment', 'medication', 'checkups'],
        },
        ePrescription: { type: 'boolean', default: true },
      },
    },
    xml: {
      type: 'object',
      additionalProperties: false,
      required: ['dir', 'institutionCode'],
      properties: { dir: { type: 'string', minLength: 1 }, institutionCode: { type: 'string', pattern: '^[0-9]{10}$' } },
    },
    metrics: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        host: { type: 'string', default: '127.0.0.1' },
        port: { type: 'integer', minimum: 0, maximum: 65535, default: 9464, description: '0: any free port' },
        enabled: { type: 'boolean', default: true },
      },
    },
    log: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        level: { enum: ['debug', 'info', 'warn', 'error'], default: 'info' },
        audit: { type: 'string', minLength: 1, description: 'append the audit stream (JSON lines) to this file; stderr when absent' },
      },
    },
  },
} as const;

export interface FacilityConfig {
  facilityId: string;
  broker: { url: string; caDir?: string; protocolVersion: 4 | 5; clientId?: string; shareGroup?: string };
  store: { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string; poolSize?: number };
  trust: {
    jpkiUserAuthCa: string[];
    crl: ({ file: string } | { url: string })[];
    crlRefreshSeconds: number;
    crlGraceSeconds: number;
    crlMaxAgeSeconds?: number;
  };
  challengeTtlSeconds: number;
  qualification: { provider: 'simulated'; timeoutMs: number };
  visit: { consentItems: string[]; ePrescription: boolean };
  xml?: { dir: string; institutionCode: string };
  metrics: { host: string; port: number; enabled: boolean };
  log: { level: 'debug' | 'info' | 'warn' | 'error'; audit?: string };
}
