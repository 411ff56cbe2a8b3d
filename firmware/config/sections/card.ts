/**
 * `card`: how the reader talks to My Number Cards (firmware/apdu). The reader itself is picked
 * in `hardware.cardReader`. JPKI CA certificates are files (DER). The card-face CA keys of J-LIS
 * (`5000023/001`, `6000023/001`) are built in, the test hierarchy's trusted only with
 * `trustJpkiTestCards` (QA rigs); `cardFaceIssuers` adds more by key id. In sim mode
 * the simulator's own CA (`9000023/001`) and test JPKI CA are added. `terminalAuthenticator`
 * (特定機関認証): `auto` = the simulated one in sim mode, none on real hardware; `module` = a
 * certified maker's plug-in (docs/card.md). Without one, face mode ends with the PIN.
 */
export const cardSection = {
  type: 'object',
  additionalProperties: false,
  default: {},
  properties: {
    extendedApdu: { type: 'boolean', default: false, description: 'the reader passes extended-length APDUs (one READ BINARY per file)' },
    apduTimeoutMs: { type: 'integer', minimum: 100, maximum: 60000, default: 5000 },
    jpkiCaFiles: {
      type: 'array',
      items: { type: 'string', minLength: 1 },
      default: [],
      description: 'DER certificates of the accepted JPKI user-auth CAs',
    },
    trustJpkiTestCards: {
      type: 'boolean',
      default: false,
      description:
        'also trust the JPKI test hierarchy card-face CA 6000023/001 (J-LIS test cards): QA rigs only, never a device in service',
    },
    cardFaceIssuers: {
      type: 'array',
      default: [],
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['keyId', 'publicKeyFile'],
        properties: {
          keyId: {
            type: 'string',
            pattern: '^([0-9]{7}/[0-9]{3}|[0-9a-fA-F]{32})$',
            description: '証明者鍵ID: "6000023/001" (padding 00) or 32 hex digits',
          },
          publicKeyFile: { type: 'string', minLength: 1, description: "SPKI DER of the CA's RSA-2048 key" },
        },
      },
    },
    terminalAuthenticator: {
      type: 'object',
      additionalProperties: false,
      default: { kind: 'auto' },
      required: ['kind'],
      properties: {
        kind: { enum: ['auto', 'none', 'simulated', 'module'] },
        module: {
          type: 'string',
          minLength: 1,
          description: "kind module: path of the maker's plug-in (exports createTerminalAuthenticator)",
        },
        options: { type: 'object', description: 'kind module: handed to the plug-in as is' },
      },
      if: { properties: { kind: { const: 'module' } } },
      then: { properties: { module: { type: 'string', minLength: 1 } }, required: ['module'] },
    },
  },
} as const;

export type TerminalAuthenticatorConfig =
  { kind: 'auto' | 'none' | 'simulated' } | { kind: 'module'; module: string; options?: Record<string, unknown> };

export interface CardConfig {
  extendedApdu: boolean;
  apduTimeoutMs: number;
  jpkiCaFiles: string[];
  cardFaceIssuers: { keyId: string; publicKeyFile: string }[];
  trustJpkiTestCards: boolean;
  terminalAuthenticator: TerminalAuthenticatorConfig;
}
