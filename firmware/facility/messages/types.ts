/** TypeScript shapes of the facility messages (schemas.ts is the normative definition). */
import type { QualificationAnswer, VisitResult } from '../../ports/facility-link.ts';
import type { CommandBody, SignedCommand } from '../commands/signed-command.ts';

export interface MessageError {
  readonly code: string;
  readonly message: string;
}

export interface Ack {
  readonly schema: 'kaoreader.ack/1';
  readonly id: string;
  readonly stored: boolean;
  readonly duplicate?: boolean;
  readonly error?: MessageError;
}

export interface Request {
  readonly schema: 'kaoreader.request/2';
  readonly id: string;
  readonly kind: 'qualify' | 'prove' | 'register';
  readonly readerId: string;
  readonly visitId: string;
  readonly certificateSerial: string;
  readonly sentAt: string;
  /** Base64 DER of the user-auth certificate (qualify, prove). */
  readonly certificate?: string;
  /** The challenge from the qualify answer (prove, register). */
  readonly challenge?: string;
  /** Base64 PKCS#1 v1.5 signature over the challenge (prove). */
  readonly signature?: string;
}

export interface Response {
  readonly schema: 'kaoreader.response/1';
  readonly requestId: string;
  readonly ok: boolean;
  readonly answer?: QualificationAnswer;
  readonly error?: MessageError;
}

export interface HardwareSummary {
  readonly model: string;
  readonly arch: string;
  readonly camera?: string;
  readonly cardReader?: string;
  readonly display?: string;
}

export interface Status {
  readonly schema: 'kaoreader.status/1';
  readonly readerId: string;
  readonly state: 'online' | 'offline';
  readonly firmwareVersion?: string;
  readonly bootCounter: number;
  readonly hardware?: HardwareSummary;
  readonly facilityName?: string;
  readonly at: string;
}

export interface Health {
  readonly schema: 'kaoreader.health/1';
  readonly readerId: string;
  readonly outboxDepth: number;
  readonly oldestUndeliveredAgeMs: number;
  readonly inFlight: number;
  readonly outboxStatus: 'ok' | 'full' | 'disk-full';
  /** Results kept in the outbox that the facility refused for good as messages (not resent). */
  readonly deadLetters?: number;
  readonly at: string;
}

export type { Command, CommandBody, SignedCommand } from '../commands/signed-command.ts';

export interface CommandReply {
  readonly schema: 'kaoreader.command-reply/1';
  readonly commandId: string;
  readonly ok: boolean;
  readonly result?: Readonly<Record<string, unknown>>;
  readonly error?: MessageError;
}

export interface FacilityStatus {
  readonly schema: 'kaoreader.facility-status/1';
  readonly facilityId: string;
  readonly state: 'online' | 'offline';
  readonly at: string;
}

export interface MessageMap {
  'kaoreader.result': VisitResult;
  'kaoreader.ack': Ack;
  'kaoreader.request': Request;
  'kaoreader.response': Response;
  'kaoreader.status': Status;
  'kaoreader.health': Health;
  'kaoreader.command': SignedCommand;
  'kaoreader.command-body': CommandBody;
  'kaoreader.command-reply': CommandReply;
  'kaoreader.facility-status': FacilityStatus;
}
export type MessageName = keyof MessageMap;
