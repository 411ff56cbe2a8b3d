/**
 * How long a card phase's APDUs take on real links, computed from the APDUs and their bytes (the
 * card's own computing time, e.g. an RSA signature on the chip, is not modelled: it is listed).
 *
 * Contact, T=1 (ISO/IEC 7816-3) at the ATR's default rate: TA1 absent → Fi 372, Di 1; with the
 * usual 3.5712 MHz card clock one etu is 104.2 µs (9,600 bit/s). TC1 = FF → 11 etu per
 * character; BGT 22 etu between characters in opposite directions (11 etu more than a character);
 * IFSC from TA3 (FE = 254), IFSD 254 (the reader's S(IFS) request). A block is NAD PCB LEN + INF
 * + LRC; a chained block is acknowledged by a 4-byte R-block.
 *
 * Contactless, ISO/IEC 14443 Type B at 106/212/424/848 kbit/s (1 etu = 128/64/32/16 ÷ 13.56 MHz):
 * a character is 10 etu (start, 8 bits, stop; EGT 0), a frame SOF 12 etu (10 low + 2 high) +
 * characters + EOF 10 etu; a block is PCB + INF + CRC_B (2), FSC = FSD = 256; the card answers
 * after TR0 64/fs + TR1 80/fs (fs = 847.5 kHz: 75.5 + 94.4 µs, the defaults before a card
 * declares less) and the reader sends again 10 etu after the card's EOF; a chained block is
 * acknowledged by a 3-byte R(ACK).
 *
 * The physical limit of a link is the APDU bytes × 8 / bit rate; the ratio is modelled time ÷ limit.
 */

export interface ApduSize {
  readonly command: number;
  readonly response: number;
}

export interface LinkTime {
  readonly apdus: number;
  /** Command + response APDU bytes. */
  readonly bytes: number;
  readonly ms: number;
  /** bytes × 8 / bit rate. */
  readonly limitMs: number;
  readonly ratio: number;
}

export interface LinkModel {
  readonly name: string;
  readonly bitRate: number;
  time(apdus: readonly ApduSize[]): number;
}

const blocks = (bytes: number, size: number): number => Math.max(1, Math.ceil(bytes / size));

/** Fi/Di, IFSC, character guard time of a T=1 ATR (interface bytes only; checked, not guessed). */
export function t1Parameters(atr: Uint8Array): { fi: number; di: number; ifsc: number; cgtEtu: number } {
  const FI = [372, 372, 558, 744, 1116, 1488, 1860, 0, 0, 512, 768, 1024, 1536, 2048, 0, 0];
  const DI = [0, 1, 2, 4, 8, 16, 32, 64, 12, 20, 0, 0, 0, 0, 0, 0];
  let at = 1;
  let y = atr[at++] ?? 0; // T0
  let fi = 372;
  let di = 1;
  let ifsc = 32;
  let tc1 = 0;
  for (let i = 1; i <= 8; i++) {
    const ta = (y & 0x10) !== 0 ? atr[at++] : undefined;
    if ((y & 0x20) !== 0) at++;
    const tc = (y & 0x40) !== 0 ? atr[at++] : undefined;
    const td = (y & 0x80) !== 0 ? atr[at++] : undefined;
    if (i === 1 && ta !== undefined) {
      fi = FI[ta >> 4] ?? 372;
      di = DI[ta & 0x0f] ?? 1;
    }
    if (i === 1 && tc !== undefined) tc1 = tc;
    if (i >= 3 && ta !== undefined && ifsc === 32) ifsc = ta;
    if (td === undefined) break;
    y = td;
  }
  // T=1: TC1 = FF means the minimum, 11 etu per character; otherwise 12 + N.
  return { fi, di, ifsc, cgtEtu: tc1 === 0xff ? 11 : 12 + tc1 };
}

export function contactT1(atr: Uint8Array, clockHz = 3_571_200, ifsd = 254): LinkModel {
  const p = t1Parameters(atr);
  const etuS = p.fi / p.di / clockHz;
  return {
    name: 'contact T=1',
    bitRate: Math.round(1 / etuS),
    time(apdus) {
      let chars = 0;
      let switches = 0;
      for (const a of apdus) {
        const cmd = blocks(a.command, p.ifsc);
        const rsp = blocks(a.response, ifsd);
        chars += a.command + 4 * cmd + 4 * (cmd - 1) + a.response + 4 * rsp + 4 * (rsp - 1);
        switches += 2 * (cmd - 1) + 2 * (rsp - 1) + 2;
      }
      return (chars * p.cgtEtu + switches * (22 - p.cgtEtu)) * etuS * 1000;
    },
  };
}

const FC = 13_560_000;
const FS = FC / 16;

export function contactlessTypeB(bitRate: 106 | 212 | 424 | 848, fsc = 256, fsd = 256): LinkModel {
  const etuS = 128 / (bitRate / 106) / FC;
  const frame = (bytes: number): number => (12 + 10 * bytes + 10) * etuS;
  const turnaround = (64 + 80) / FS;
  const afterCard = 10 * etuS;
  return {
    name: `contactless Type B ${bitRate} kbit/s`,
    bitRate: Math.round(1 / etuS),
    time(apdus) {
      let s = 0;
      for (const a of apdus) {
        const cmd = blocks(a.command, fsc - 3);
        const rsp = blocks(a.response, fsd - 3);
        s += frame(a.command + 3 * cmd) + (cmd - 1) * (turnaround + frame(3) + afterCard); // reader's blocks, each chained one ACKed
        s += rsp * (turnaround + afterCard) + frame(a.response + 3 * rsp) + (rsp - 1) * frame(3); // card's blocks, the reader ACKs
      }
      return s * 1000;
    },
  };
}

export function linkTime(model: LinkModel, apdus: readonly ApduSize[]): LinkTime {
  const bytes = apdus.reduce((n, a) => n + a.command + a.response, 0);
  const ms = model.time(apdus);
  const limitMs = ((bytes * 8) / model.bitRate) * 1000;
  return {
    apdus: apdus.length,
    bytes,
    ms: Number(ms.toFixed(1)),
    limitMs: Number(limitMs.toFixed(1)),
    ratio: Number((ms / limitMs).toFixed(3)),
  };
}
