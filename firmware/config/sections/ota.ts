/** `ota`: where releases live on the device and where the signed update repository is. */
export const otaSection = {
  type: 'object',
  additionalProperties: false,
  default: {},
  properties: {
    base: { type: 'string', default: '/opt/kaoreader', description: 'holds releases/, current (and state/ with installer: direct)' },
    installer: {
      enum: ['direct', 'unit'],
      default: 'direct',
      description:
        'unit: the daemon cannot write `base`; kaoreader-installer.service does (the hardened install, docs/raspberry-pi.md); its own OTA files go to reader.stateDir/ota',
    },
    repositoryUrl: {
      type: 'string',
      pattern: '^https?://',
      description: 'TUF repository root (metadata/ and targets/ under it); no updates when absent',
    },
    pollIntervalMs: { type: 'integer', minimum: 0, maximum: 604800000, default: 21600000, description: '0 = only on facility command' },
    healthWindowMs: { type: 'integer', minimum: 1000, maximum: 3600000, default: 120000 },
    keepReleases: { type: 'integer', minimum: 2, maximum: 5, default: 3 },
    selfTest: {
      type: 'object',
      additionalProperties: false,
      default: {},
      description: 'the self-test run at READY, at the end of the health window and by `kaoreader self-test`',
      properties: {
        photo: {
          type: 'string',
          minLength: 1,
          default: 'var/self-test/face.jp2',
          description: 'a JPEG 2000 face the face models are run on (shipped in every release)',
        },
        deadlineMs: { type: 'integer', minimum: 1000, maximum: 600000, default: 20000, description: 'per check' },
      },
    },
  },
} as const;

export interface OtaConfig {
  base: string;
  installer: 'direct' | 'unit';
  repositoryUrl?: string;
  pollIntervalMs: number;
  healthWindowMs: number;
  keepReleases: number;
  selfTest: { photo: string; deadlineMs: number };
}
