/** Public surface of the My Number Card client (what the visit and the composition root use). */
export { MyNumberCardClient, type MyNumberCardClientOptions, type MyNumberCardTrust, type PinSignature } from './client.ts';
export type { CardFace } from './card-face-read.ts';
export type { CheckedCertificate } from './certificate.ts';
export { BUILT_IN_CARD_FACE_ISSUERS, type CardFaceIssuerKey } from './card-face-issuers.ts';
export { formatKeyId, keyIdFromText } from './key-id.ts';
export type { PinStatus, VerifyOptions } from './pin.ts';
export { SimulatedTerminalAuthenticator, type TerminalAuthenticator } from './terminal-auth.ts';
export { verificationNumberB, type VerificationNumberBParts } from './verification-number-b.ts';
export { loadCardTrust } from './trust.ts';
export * from './errors.ts';
