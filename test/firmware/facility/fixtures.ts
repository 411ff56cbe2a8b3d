/** Shared fixtures for facility tests (not a test file itself). */
import { uuidv7 } from '../../../firmware/core/uuidv7.ts';
import type { VisitResult } from '../../../firmware/ports/facility-link.ts';

export function sampleResult(over: Partial<VisitResult> = {}): VisitResult {
  return {
    schema: 'kaoreader.result/1',
    id: uuidv7(),
    readerId: 'reader-01',
    visitId: 'v1',
    startedAt: '2026-11-24T09:00:00.000Z',
    finishedAt: '2026-11-24T09:00:12.500Z',
    method: 'face',
    outcome: 'accepted',
    segment: 1,
    certificateSerial: '0a1b2c',
    processingMs: 12500,
    consent: { mode: 'individual', items: { surgery: true, medication: false }, at: '2026-11-24T09:00:10.000Z' },
    ...over,
  };
}
