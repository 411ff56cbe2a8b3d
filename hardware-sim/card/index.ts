/**
 * Public surface of the simulated My Number Card, loaded lazily by cli/compose.ts.
 */
export { VirtualMyNumberCard, type VirtualCardOptions } from './virtual-card.ts';
export { SimCardReader, type SimCardReaderOptions } from './sim-card-reader.ts';
export { VpcdBridge, type VpcdBridgeOptions } from './vpcd-bridge.ts';
export { issueCardContents, issueVirtualCard, type IssueOptions, type IssuedContents } from './issue.ts';
export { loadTestPki, simCardFaceIssuer, trustFor, type TestPki } from './test-pki.ts';
export { chipPhotoFromImage, type Box } from './face-photo.ts';
export { encodeGreyJp2, isJp2 } from './jp2.ts';
export { cardDate, DEFAULT_LIMITS, numberBOf, type CardProfile, type RetryLimits } from './patient.ts';
export { ensureQuickAckRoute, FAST_PATH_HOST } from './fast-path.ts';
export { startPcscd, type Pcscd } from './pcscd-process.ts';
export type { CardFault } from './faults.ts';
export { defaultPatient, SAMPLE_FACE } from './default-patient.ts';
export { MemoryStore } from './memory-store.ts';
export { fuzzCardResponses, type FuzzReport } from './card-fuzzer.ts';
