/**
 * The virtual card's applets and files (spec card-apdu.md §Applets, §Files): what exists, what
 * each EF holds and what unlocks it. Nothing else exists on the card.
 */
import type { KeyObject } from 'node:crypto';

export type EfDef =
  /** Transparent EF; `after` lists the secret EFs any one of which unlocks reading. */
  | { readonly kind: 'data'; readonly data: Uint8Array; readonly after?: readonly number[] }
  | { readonly kind: 'secret'; readonly name: string; readonly value: Uint8Array; readonly limit: number }
  /**
   * Private key EF: `80 2A 00 80` signs with it once `after` is verified, or (when
   * `terminalUnlocks`) once 特定機関認証 succeeded in this selection.
   */
  | { readonly kind: 'sign-key'; readonly key: KeyObject; readonly after: number; readonly terminalUnlocks: boolean }
  /** Terminal-authentication key reference (`80 A2`); `key` is the terminal's public key. */
  | { readonly kind: 'terminal-key'; readonly key: KeyObject };

export interface AppletDef {
  readonly name: 'jpki' | 'card-face' | 'card-text' | 'juki' | 'common';
  readonly aid: Uint8Array;
  readonly files: ReadonlyMap<number, EfDef>;
  /** The AP's own key: `80 2A 00 00` signs whatever DigestInfo it is given (card-face chip key). */
  readonly chipKey?: KeyObject;
}

export const ATR = Uint8Array.from([0x3b, 0xe0, 0x00, 0xff, 0x81, 0x31, 0xfe, 0x45, 0x14]);

export const AIDS = {
  jpki: 'd392f000260100000001',
  'card-face': 'd39210003100010104' + '02',
  'card-text': 'd39210003100010104' + '08',
  juki: 'd39210003100010104' + '01',
  common: 'd39210003100010101' + '00',
} as const;

/** The card-face AP's data EFs. */
export interface CardFaceFiles {
  /** EF 0002: the FF20 object then FF filler. */
  readonly cardFace: Uint8Array;
  /** EF 0004: 7F21 { 5F4E, 5F37 }. */
  readonly cvCertificate: Uint8Array;
  /** EF 0001: FF10 age record (生年月日 key). */
  readonly ageRecord: Uint8Array;
  /** EF 0003: FF30 AP basic data (free). */
  readonly apBasicData: Uint8Array;
  /** EF 0005: FF40 rendered 個人番号 (照合番号A only). */
  readonly myNumberImage: Uint8Array;
}

export interface CardContents {
  /** EF 0006: 160-byte token info, the first 32 bytes the space-padded label. */
  readonly tokenInfo: Uint8Array;
  readonly authCertificate: Uint8Array;
  readonly authCa: Uint8Array;
  readonly authKey: KeyObject;
  readonly signCertificate: Uint8Array;
  readonly signCa: Uint8Array;
  readonly signKey: KeyObject;
  readonly terminalPublicKey: KeyObject;
  readonly face: CardFaceFiles;
  readonly chipKey: KeyObject;
  readonly secrets: {
    readonly pin: string;
    readonly signPassword: string;
    readonly numberA: string;
    readonly verificationNumberB: string;
    readonly birthKey: string;
  };
  readonly limits: {
    readonly pin: number;
    readonly signPassword: number;
    readonly numberA: number;
    readonly verificationNumberB: number;
    readonly birthKey: number;
  };
}

const ascii = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'latin1'));

/** A certificate EF is longer than its certificate and padded with 00. */
function padded(der: Uint8Array, size = 2048): Uint8Array {
  const out = new Uint8Array(Math.max(size, der.length));
  out.set(der, 0);
  return out;
}

/**
 * EF 0006: a PKCS #11 CK_TOKEN_INFO serialised with 32-bit big-endian integers, 160 bytes
 * (label 32, manufacturer 32, model 16, serial 16, flags, 10 counters, versions 2 + 2, time 16).
 */
export function tokenInfo(label: string, serial = '0000000000000000'): Uint8Array {
  const out = new Uint8Array(160).fill(0x20);
  const text = (s: string, at: number, len: number): void => out.set(ascii(s).subarray(0, len), at);
  text(label, 0, 32);
  text('kaoreader virtual card', 32, 32);
  text('virtual', 64, 16);
  text(serial, 80, 16);
  const view = new DataView(out.buffer);
  view.setUint32(96, 0x0000040d); // RNG | LOGIN_REQUIRED | USER_PIN_INITIALIZED | TOKEN_INITIALIZED
  // sessions (max, open, max rw, open rw), PIN length (max 16, min 4), memory: unavailable
  [0, 0, 0, 0, 16, 4, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff].forEach((v, i) => view.setUint32(100 + 4 * i, v));
  out.set([0x01, 0x00, 0x01, 0x00], 140);
  return out;
}

export function buildApplets(c: CardContents): AppletDef[] {
  const jpki = new Map<number, EfDef>([
    [0x0006, { kind: 'data', data: c.tokenInfo }],
    [0x000a, { kind: 'data', data: padded(c.authCertificate) }],
    [0x000b, { kind: 'data', data: padded(c.authCa) }],
    [0x0017, { kind: 'sign-key', key: c.authKey, after: 0x0018, terminalUnlocks: true }],
    [0x0018, { kind: 'secret', name: 'jpki-auth-pin', value: ascii(c.secrets.pin), limit: c.limits.pin }],
    [0x0001, { kind: 'data', data: padded(c.signCertificate), after: [0x001b] }],
    [0x0002, { kind: 'data', data: padded(c.signCa) }],
    [0x001a, { kind: 'sign-key', key: c.signKey, after: 0x001b, terminalUnlocks: false }],
    [0x001b, { kind: 'secret', name: 'jpki-sign-password', value: ascii(c.secrets.signPassword), limit: c.limits.signPassword }],
    [0x0016, { kind: 'terminal-key', key: c.terminalPublicKey }],
  ]);
  const face = new Map<number, EfDef>([
    [0x0001, { kind: 'data', data: c.face.ageRecord, after: [0x0011] }],
    [0x0002, { kind: 'data', data: c.face.cardFace, after: [0x0012, 0x0013] }],
    [0x0003, { kind: 'data', data: c.face.apBasicData }],
    [0x0004, { kind: 'data', data: c.face.cvCertificate }],
    [0x0005, { kind: 'data', data: c.face.myNumberImage, after: [0x0013] }],
    [0x0011, { kind: 'secret', name: 'face-birth-date', value: ascii(c.secrets.birthKey), limit: c.limits.birthKey }],
    [0x0012, { kind: 'secret', name: 'face-number-b', value: ascii(c.secrets.verificationNumberB), limit: c.limits.verificationNumberB }],
    [0x0013, { kind: 'secret', name: 'face-number-a', value: ascii(c.secrets.numberA), limit: c.limits.numberA }],
  ]);
  const hex = (h: string): Uint8Array => new Uint8Array(Buffer.from(h, 'hex'));
  return [
    { name: 'jpki', aid: hex(AIDS.jpki), files: jpki },
    { name: 'card-face', aid: hex(AIDS['card-face']), files: face, chipKey: c.chipKey },
    // Present on the card but outside what the reader may use: no files are modelled.
    { name: 'card-text', aid: hex(AIDS['card-text']), files: new Map() },
    { name: 'juki', aid: hex(AIDS.juki), files: new Map() },
    { name: 'common', aid: hex(AIDS.common), files: new Map() },
  ];
}
