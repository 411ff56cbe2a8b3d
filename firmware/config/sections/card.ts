/**
 * `card`: how the reader talks to My Number Cards (firmware/apdu). The reader itself is picked
 * in `hardware.cardReader`. Trust anchors are files (DER) so production J-LIS keys can ship
 * with the device; empty lists mean "the simulator's test PKI" in sim mode.
 */
export const cardSection = {
  type: 'object',
  additionalProperties: false,
  default: {},
  properties: {
    extendedApdu: { type: 'boolean', default: false, description: 'the reader passes extended-length APDUs (one READ BINARY per file)' },
    apduTimeoutMs: { type: 'integer', minimum: 100, maximum: 60000, default: 5000 },
    jpkiCaFiles: { type: 'array', items: { type: 'string', minLength: 1 }, default: [], description: 'DER certificates of the accepted JPKI user-auth CAs' },
    cardFaceIssuers: {
      type: 'array',
      default: [],
      items: {
        type: 'object', additionalProperties: false, required: ['reference', 'publicKeyFile'],
        properties: {
          reference: { type: 'string', minLength: 1, maxLength: 16, description: 'CV certificate CAR (issuer reference)' },
          publicKeyFile: { type: 'string', minLength: 1, description: 'SPKI DER of the issuer RSA key' },
        },
      },
    },
  },
} as const;

export interface CardConfig {
  extendedApdu: boolean;
  apduTimeoutMs: number;
  jpkiCaFiles: string[];
  cardFaceIssuers: { reference: string; publicKeyFile: string }[];
}
