/**
 * The fuzz oracle's reasons, on a real trace of the face phase against the virtual card: only the
 * values of DF29/DF2A count as unused; their headers, the photo, the signature do not; 61xx/6Cxx,
 * a true short read and another counter state on an empty VERIFY are named; anything else is not.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { CardSession } from '../../../firmware/ports/card-reader.ts';
import { harmlessBecause, unusedRanges, type TraceEntry } from '../../../hardware-sim/card/fuzz-oracle.ts';
import { READER_PHASES } from '../../../hardware-sim/card/fuzz-phases.ts';
import { issueCardContents, type IssuedContents } from '../../../hardware-sim/card/issue.ts';
import { MemoryStore } from '../../../hardware-sim/card/memory-store.ts';
import { VirtualMyNumberCard } from '../../../hardware-sim/card/virtual-card.ts';
import { ascii, makeTestCard } from '../../helpers/sim-card.ts';

let issued: IssuedContents;
const NONE = { ranges: [] };
let trace: TraceEntry[];

test.before(async () => {
  const tc = await makeTestCard({ id: 'fuzz-oracle' });
  issued = await issueCardContents(tc.profile, { pki: tc.pki });
  const card = new VirtualMyNumberCard({ id: 'o', counters: new MemoryStore(), contents: issued.contents });
  card.powerOn();
  trace = [];
  const session: CardSession = {
    atr: card.atr,
    features: { extendedApdu: false, contactless: false },
    disconnect: () => Promise.resolve(),
    async transmit(command) {
      const response = await card.transmit(command);
      trace.push({ command: command.slice(), response: response.slice() });
      return response;
    },
  };
  await READER_PHASES.face({ session, trust: tc.trust, pin: ascii(tc.profile.pin), verificationNumberB: ascii(tc.verificationNumberB) });
});

/** The READ BINARY of EF 0002 whose data holds EF offset `at`, and the position in its data. */
function readHolding(at: number): { index: number; pos: number } {
  let inFace = false;
  for (const [index, e] of trace.entries()) {
    const c = e.command;
    if (c[1] === 0xa4 && c[2] === 0x02) inFace = c[5] === 0x00 && c[6] === 0x02;
    if (inFace && c[1] === 0xb0) {
      const offset = ((c[2] ?? 0) << 8) | (c[3] ?? 0);
      if (at >= offset && at < offset + e.response.length - 2) return { index, pos: at - offset };
    }
  }
  throw new Error(`no read holds ${at}`);
}

function flipped(index: number, pos: number): Uint8Array {
  const r = (trace[index]?.response ?? new Uint8Array(0)).slice();
  r[pos] = (r[pos] ?? 0) ^ 0x04;
  return r;
}

const field = (tag: number): { start: number; valueStart: number; length: number } => {
  const f = issued.cardFace.layout.find((l) => l.tag === tag);
  if (!f) throw new Error(tag.toString(16));
  return f;
};

test('a byte of the DF29 or DF2A value is unused; their headers, DF27 and DF28 are used', () => {
  const unused = unusedRanges(trace, issued.cardFace);
  const why = (at: number): string | undefined => {
    const { index, pos } = readHolding(at);
    const entry = trace[index];
    if (!entry) throw new Error('no entry');
    return harmlessBecause(entry, flipped(index, pos), unused[index] ?? { ranges: [] });
  };
  assert.is(why(field(0xdf29).valueStart + 2), 'unused-bytes');
  assert.is(why(field(0xdf2a).valueStart + 10), 'unused-bytes');
  assert.is(why(field(0xdf29).start), undefined, 'the DF29 tag is parsed');
  assert.is(why(field(0xdf29).start + 2), undefined, 'the DF29 length is parsed');
  assert.is(why(field(0xdf27).valueStart + 40), undefined);
  assert.is(why(field(0xdf28).valueStart + 3), undefined);
});

test('an FF20 length that ends inside the filler is named; one past the EF, or shorter than the fields, is not', () => {
  const unused = unusedRanges(trace, issued.cardFace);
  const { index } = readHolding(0);
  const entry = trace[index];
  if (!entry) throw new Error('no entry');
  const withLength = (n: number): Uint8Array => {
    const r = entry.response.slice();
    r[3] = n >> 8;
    r[4] = n & 0xff;
    return r;
  };
  const value = issued.cardFace.objectLength - 5;
  assert.is(harmlessBecause(entry, withLength(value + 100), unused[index] ?? NONE), 'filler-length');
  assert.is(harmlessBecause(entry, withLength(issued.cardFace.ef.length - 4), unused[index] ?? NONE), undefined);
  assert.is(harmlessBecause(entry, withLength(value - 1), unused[index] ?? NONE), undefined);
});

test('resent, short read and counter states are named; a changed VERIFY answer with data is not', () => {
  const read = trace.findIndex((e) => e.command[1] === 0xb0 && e.response.length > 100);
  const entry = trace[read];
  if (!entry) throw new Error('no read');
  assert.is(harmlessBecause(entry, Uint8Array.of(0x6c, 0x10), NONE), 'resent');
  assert.is(harmlessBecause(entry, new Uint8Array([...entry.response.subarray(0, 10), 0x90, 0x00]), NONE), 'short-read');
  const wrongPrefix = new Uint8Array([...entry.response.subarray(0, 10), 0x90, 0x00]);
  wrongPrefix[3] = (wrongPrefix[3] ?? 0) ^ 1;
  assert.is(harmlessBecause(entry, wrongPrefix, NONE), undefined, 'a short read of other bytes');
  const query = trace.find((e) => e.command[1] === 0x20 && e.command.length === 4);
  const verify = trace.find((e) => e.command[1] === 0x20 && e.command.length > 4);
  if (!query || !verify) throw new Error('no VERIFY in the trace');
  for (const sw of [
    [0x63, 0xc2],
    [0x63, 0xc0],
    [0x69, 0x84],
    [0x90, 0x00],
  ])
    assert.is(harmlessBecause(query, Uint8Array.from(sw), NONE), 'counter-only');
  assert.is(harmlessBecause(verify, Uint8Array.of(0x63, 0xc2), NONE), undefined);
  assert.is(harmlessBecause(query, Uint8Array.of(0x01, 0x63, 0xc2), NONE), undefined, 'data on a counter answer');
});

test.run();
