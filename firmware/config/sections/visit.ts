/** `visit`: step timeouts, face attempts before PIN/staff help is offered, staff password rate limit. */
export const visitSection = {
  type: 'object',
  additionalProperties: false,
  default: {},
  properties: {
    faceMaxFailures: { type: 'integer', minimum: 1, maximum: 10, default: 3 },
    timeouts: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        cardMs: { type: 'integer', minimum: 500, maximum: 60000, default: 5000 },
        facilityMs: { type: 'integer', minimum: 100, maximum: 60000, default: 5000 },
        choiceMs: { type: 'integer', minimum: 1000, maximum: 600000, default: 60000 },
        pinMs: { type: 'integer', minimum: 1000, maximum: 600000, default: 60000 },
        // Up to 10 min: reading the chip photo and enrolling it under emulation (test/ota/release/arm64.itest.ts) takes minutes.
        facePrepareMs: { type: 'integer', minimum: 500, maximum: 600000, default: 10000 },
        faceAttemptMs: { type: 'integer', minimum: 500, maximum: 60000, default: 20000 },
        staffMs: { type: 'integer', minimum: 1000, maximum: 600000, default: 120000 },
        messageMs: { type: 'integer', minimum: 100, maximum: 60000, default: 3000 },
        takeCardMs: { type: 'integer', minimum: 1000, maximum: 600000, default: 60000 },
      },
    },
    staff: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        maxFailures: { type: 'integer', minimum: 1, maximum: 20, default: 5 },
        lockoutMs: { type: 'integer', minimum: 1000, maximum: 86400000, default: 300000 },
      },
    },
  },
} as const;

export interface VisitConfig {
  faceMaxFailures: number;
  timeouts: {
    cardMs: number;
    facilityMs: number;
    choiceMs: number;
    pinMs: number;
    facePrepareMs: number;
    faceAttemptMs: number;
    staffMs: number;
    messageMs: number;
    takeCardMs: number;
  };
  /** The password policy itself is fixed (firmware/core/staff-password-hash.ts: 8–16 digits). */
  staff: { maxFailures: number; lockoutMs: number };
}
