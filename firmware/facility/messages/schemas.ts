/**
 * Versioned JSON Schemas of every facility message (docs/facility-protocol.md). A message
 * names its schema and version in its `schema` field (`kaoreader.result/1`); a new major
 * version is a new entry here, never an edit of an old one. Commands (signed) are declared in
 * firmware/facility/commands/signed-command.ts.
 */
import { commandBody1, signedCommand2 } from '../commands/signed-command.ts';

const time = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z$' } as const;
const uuid = { type: 'string', pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' } as const;
const readerId = { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{2,62}$' } as const;
const shortText = { type: 'string', minLength: 1, maxLength: 200 } as const;
const error = {
  type: 'object',
  additionalProperties: false,
  required: ['code', 'message'],
  properties: { code: { type: 'string', pattern: '^[A-Z][A-Z0-9_]{1,40}$' }, message: { type: 'string', maxLength: 500 } },
} as const;
const consentChoice = {
  type: 'object',
  additionalProperties: false,
  required: ['mode', 'items', 'at'],
  properties: {
    mode: { enum: ['all', 'individual', 'reused'] },
    items: {
      type: 'object',
      maxProperties: 32,
      propertyNames: { pattern: '^[a-z][a-zA-Z0-9-]{0,40}$' },
      additionalProperties: { type: 'boolean' },
    },
    at: time,
  },
} as const;
const insured = {
  type: 'object',
  additionalProperties: false,
  required: ['insurerNumber', 'symbol', 'number', 'branch', 'copayRatio', 'limitCategory', 'validity'],
  properties: {
    insurerNumber: { type: 'string', pattern: '^[0-9]{6,8}$' },
    symbol: { type: 'string', maxLength: 40 },
    number: { type: 'string', maxLength: 40 },
    branch: { type: 'string', pattern: '^[0-9]{0,2}$' },
    copayRatio: { type: 'string', pattern: '^[0-9]{3}$' },
    limitCategory: { type: 'string', maxLength: 4 },
    validity: { enum: [1, 2, 3, 4, 5] },
  },
} as const;
const msg = (name: string, required: readonly string[], properties: Record<string, unknown>) => ({
  type: 'object',
  additionalProperties: false,
  required: ['schema', ...required],
  properties: { schema: { const: name }, ...properties },
});

export const result1 = msg(
  'kaoreader.result/1',
  ['id', 'readerId', 'visitId', 'startedAt', 'finishedAt', 'method', 'outcome', 'segment', 'processingMs'],
  {
    id: uuid,
    readerId,
    visitId: { type: 'string', minLength: 1, maxLength: 64 },
    startedAt: time,
    finishedAt: time,
    method: { enum: ['face', 'pin', 'staff', null] },
    outcome: { enum: ['accepted', 'rejected', 'cancelled', 'fallback', 'error'] },
    segment: { enum: [1, 2, 9] },
    errorCode: { type: 'string', maxLength: 40 },
    certificateSerial: { type: 'string', pattern: '^[0-9a-fA-F]{1,64}$' },
    certificate: { type: 'string', maxLength: 8192, pattern: '^[A-Za-z0-9+/=]*$' },
    signature: { type: 'string', maxLength: 2048, pattern: '^[A-Za-z0-9+/=]*$' },
    challenge: { type: 'string', pattern: '^[0-9a-f]{16,128}$' },
    signatureUnlock: { enum: ['pin', 'terminal'] },
    consent: consentChoice,
    prescription: { enum: ['electronic', 'paper'] },
    registeredNow: { type: 'boolean' },
    processingMs: { type: 'integer', minimum: 0, maximum: 86_400_000 },
  },
);

export const ack1 = msg('kaoreader.ack/1', ['id', 'stored'], {
  id: uuid,
  stored: { type: 'boolean' },
  duplicate: { type: 'boolean' },
  error,
});

/**
 * Version 2 (version 1 carried no visit and no certificate, so a challenge could not be bound
 * to a visit: no longer spoken). `qualify` carries the card's certificate (checked before the
 * facility asks qualification) and binds the challenge it answers to this reader, visit and
 * card; `prove` shows the card's signature over that challenge while it is fresh; `register`
 * names the proved challenge.
 */
const base64 = (max: number) => ({ type: 'string', minLength: 4, maxLength: max, pattern: '^[A-Za-z0-9+/=]*$' }) as const;
const hexChallenge = { type: 'string', pattern: '^[0-9a-f]{16,128}$' } as const;
export const request2 = {
  ...msg('kaoreader.request/2', ['id', 'kind', 'readerId', 'visitId', 'certificateSerial', 'sentAt'], {
    id: uuid,
    kind: { enum: ['qualify', 'prove', 'register'] },
    readerId,
    visitId: { type: 'string', minLength: 1, maxLength: 64 },
    certificateSerial: { type: 'string', pattern: '^[0-9a-fA-F]{1,64}$' },
    sentAt: time,
    certificate: base64(8192),
    challenge: hexChallenge,
    signature: base64(2048),
  }),
  allOf: [
    { if: { properties: { kind: { const: 'qualify' } } }, then: { required: ['certificate'] } },
    { if: { properties: { kind: { const: 'prove' } } }, then: { required: ['certificate', 'challenge', 'signature'] } },
    { if: { properties: { kind: { const: 'register' } } }, then: { required: ['challenge'] } },
  ],
};

export const qualificationAnswer = {
  type: 'object',
  additionalProperties: false,
  required: ['registered', 'consentItems', 'ePrescription', 'challenge'],
  properties: {
    registered: { type: 'boolean' },
    insured,
    previousConsent: consentChoice,
    consentItems: { type: 'array', maxItems: 32, items: { type: 'string', pattern: '^[a-z][a-zA-Z0-9-]{0,40}$' } },
    ePrescription: { type: 'boolean' },
    challenge: { type: 'string', pattern: '^[0-9a-f]{16,128}$' },
  },
} as const;

export const response1 = msg('kaoreader.response/1', ['requestId', 'ok'], {
  requestId: uuid,
  ok: { type: 'boolean' },
  answer: qualificationAnswer,
  error,
});

export const hardware = {
  type: 'object',
  additionalProperties: false,
  required: ['model', 'arch'],
  properties: { model: shortText, arch: shortText, camera: shortText, cardReader: shortText, display: shortText },
} as const;

export const status1 = msg('kaoreader.status/1', ['readerId', 'state', 'bootCounter', 'at'], {
  readerId,
  state: { enum: ['online', 'offline'] },
  firmwareVersion: shortText,
  bootCounter: { type: 'integer', minimum: 0 },
  hardware,
  facilityName: { type: 'string', maxLength: 200 },
  at: time,
});

export const health1 = msg('kaoreader.health/1', ['readerId', 'outboxDepth', 'oldestUndeliveredAgeMs', 'inFlight', 'outboxStatus', 'at'], {
  readerId,
  outboxDepth: { type: 'integer', minimum: 0 },
  oldestUndeliveredAgeMs: { type: 'integer', minimum: 0 },
  inFlight: { type: 'integer', minimum: 0 },
  outboxStatus: { enum: ['ok', 'full', 'disk-full'] },
  deadLetters: { type: 'integer', minimum: 0 },
  at: time,
});

export const commandReply1 = msg('kaoreader.command-reply/1', ['commandId', 'ok'], {
  commandId: { type: 'string', maxLength: 64 },
  ok: { type: 'boolean' },
  result: { type: 'object', maxProperties: 16 },
  error,
});

export const facilityStatus1 = msg('kaoreader.facility-status/1', ['facilityId', 'state', 'at'], {
  facilityId: readerId,
  state: { enum: ['online', 'offline'] },
  at: time,
});

/** Every known schema: name → version → JSON Schema. */
export const SCHEMAS: Readonly<Record<string, Readonly<Record<number, object>>>> = {
  'kaoreader.result': { 1: result1 },
  'kaoreader.ack': { 1: ack1 },
  'kaoreader.request': { 2: request2 },
  'kaoreader.response': { 1: response1 },
  'kaoreader.status': { 1: status1 },
  'kaoreader.health': { 1: health1 },
  'kaoreader.command': { 2: signedCommand2 },
  'kaoreader.command-body': { 1: commandBody1 },
  'kaoreader.command-reply': { 1: commandReply1 },
  'kaoreader.facility-status': { 1: facilityStatus1 },
};
