/**
 * Seeded response mutations for fuzzing the client: byte flips, truncation, trailing junk,
 * hostile status words (61xx/6Cxx loops, 63Cx, 9000 on garbage), huge or indefinite BER
 * lengths, deep nesting, random bodies, and structure-aware ones: the length field of a card
 * structure's TLV (7F21, 5F4E, 5F37, FF20, DF21…DF2A) and an entry of the DF21 offset table.
 * Deterministic for a seed.
 */
export class Rng {
  #x: number;
  constructor(seed: number) {
    this.#x = seed >>> 0 || 0x9e3779b9;
  }
  next(): number {
    let x = this.#x;
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    this.#x = x;
    return x;
  }
  int(n: number): number {
    return n <= 0 ? 0 : this.next() % n;
  }
  bytes(n: number): Uint8Array {
    return Uint8Array.from({ length: n }, () => this.next() & 0xff);
  }
}

const SWS = [
  0x9000, 0x6100, 0x6101, 0x61ff, 0x6c00, 0x6c01, 0x6cff, 0x63c0, 0x63c1, 0x63c3, 0x63cf, 0x6984, 0x6982, 0x6a82, 0x6b00, 0x6282, 0x6700,
  0x6f00,
];

export const MUTATIONS = [
  'flip',
  'truncate',
  'append',
  'status',
  'length',
  'nest',
  'empty',
  'garbage',
  'tlv-length',
  'offset-table',
] as const;
export type Mutation = (typeof MUTATIONS)[number];

function withSw(data: Uint8Array, sw: number): Uint8Array {
  const out = new Uint8Array(data.length + 2);
  out.set(data, 0);
  out[data.length] = sw >> 8;
  out[data.length + 1] = sw & 0xff;
  return out;
}

/** Two-byte tags of the card structures the reader parses. */
const STRUCTURE_TAGS: readonly (readonly [number, number])[] = [
  [0x7f, 0x21],
  [0x5f, 0x4e],
  [0x5f, 0x37],
  [0xff, 0x20],
  ...Array.from({ length: 10 }, (_, i) => [0xdf, 0x21 + i] as const),
];

function tagPositions(data: Uint8Array): number[] {
  const at: number[] = [];
  for (let i = 0; i + 2 < data.length; i++) if (STRUCTURE_TAGS.some(([a, b]) => data[i] === a && data[i + 1] === b)) at.push(i);
  return at;
}

/** Definite length encoding in `size` bytes after the first (0 = short form), or minimal when it does not fit. */
function lengthField(value: number, size: number): number[] {
  const v = Math.max(0, Math.min(0xffff, value));
  if (size === 0 && v < 0x80) return [v];
  if (size <= 1 && v < 0x100) return [0x81, v];
  return [0x82, v >> 8, v & 0xff];
}

/** Changes the length field of one card-structure TLV found in the data (shifting what follows when its size changes). */
function mutateTlvLength(data: Uint8Array, rng: Rng): Uint8Array | undefined {
  const positions = tagPositions(data);
  const at = positions[rng.int(positions.length)];
  if (at === undefined) return undefined;
  const l0 = data[at + 2] ?? 0;
  const size = l0 < 0x80 ? 0 : l0 & 0x7f;
  const len = size === 0 ? l0 : size === 1 ? (data[at + 3] ?? 0) : ((data[at + 3] ?? 0) << 8) | (data[at + 4] ?? 0);
  const choices = [len - 1, len + 1, len + 1 + rng.int(300), len - 1 - rng.int(300), 0, 0x7f, 0x80, 0xffff];
  const field = lengthField(choices[rng.int(choices.length)] ?? len + 1, rng.int(4) === 0 ? rng.int(3) : size);
  return Uint8Array.from([...data.subarray(0, at + 2), ...field, ...data.subarray(at + 3 + size)]);
}

/** Changes one entry of a DF21 offset table found in the data. */
function mutateOffsetTable(data: Uint8Array, rng: Rng): Uint8Array | undefined {
  let at = -1;
  for (let i = 0; i + 2 < data.length; i++) if (data[i] === 0xdf && data[i + 1] === 0x21 && data[i + 2] === 0x12) at = i + 3;
  if (at < 0 || at + 18 > data.length) return undefined;
  const out = data.slice();
  const k = rng.int(9);
  const p = at + 2 * k;
  const v = ((out[p] ?? 0) << 8) | (out[p + 1] ?? 0);
  const next = ((out[p + 2] ?? 0) << 8) | (out[p + 3] ?? 0);
  const choices = [v + 1, v - 1, v + 1 + rng.int(1000), 0, 0xffff, k < 8 ? next : v + 2];
  const w = Math.max(0, Math.min(0xffff, choices[rng.int(choices.length)] ?? v + 1));
  out[p] = w >> 8;
  out[p + 1] = w & 0xff;
  return out;
}

export function mutate(response: Uint8Array, kind: Mutation, rng: Rng): Uint8Array {
  const data = response.subarray(0, Math.max(0, response.length - 2));
  switch (kind) {
    case 'flip': {
      const out = response.slice();
      for (let k = 1 + rng.int(4); k > 0 && out.length > 0; k--) {
        const i = rng.int(out.length);
        out[i] = (out[i] ?? 0) ^ (1 << rng.int(8));
      }
      return out;
    }
    case 'truncate':
      return response.slice(0, rng.int(response.length));
    case 'append':
      return withSw(new Uint8Array([...data, ...rng.bytes(1 + rng.int(16))]), 0x9000);
    case 'status':
      return withSw(
        rng.int(2) === 0 ? data : new Uint8Array(0),
        (SWS[rng.int(SWS.length)] ?? 0x9000) | (rng.int(4) === 0 ? rng.int(256) : 0),
      );
    case 'length': {
      const out = [...data];
      const at = out.length > 0 ? rng.int(Math.min(out.length, 12)) : 0;
      const choices = [
        [0x84, 0xff, 0xff, 0xff, 0xff],
        [0x82, 0xff, 0xff],
        [0x80],
        [0x83, 0x10, 0, 0],
        [0x81, 0xff],
        [0x89, 1, 2, 3, 4, 5, 6, 7, 8, 9],
      ];
      out.splice(at, rng.int(3), ...(choices[rng.int(choices.length)] ?? [0x80]));
      return withSw(Uint8Array.from(out), 0x9000);
    }
    case 'nest': {
      const depth = 1 + rng.int(64);
      const tag = [0x30, 0x7f21 >> 8, 0xff, 0xdf][rng.int(4)] ?? 0x30;
      const out: number[] = [];
      for (let i = 0; i < depth; i++) out.push(tag, ...(tag === 0x7f || tag === 0xff || tag === 0xdf ? [0x21] : []), 0x82, 0x7f, 0xff);
      return withSw(Uint8Array.from([...out, ...data.subarray(0, rng.int(data.length + 1))]), 0x9000);
    }
    case 'empty':
      return withSw(new Uint8Array(0), 0x9000);
    case 'garbage':
      return withSw(rng.bytes(rng.int(300)), 0x9000);
    case 'tlv-length':
    case 'offset-table': {
      const sw = ((response[response.length - 2] ?? 0x90) << 8) | (response[response.length - 1] ?? 0);
      const changed = kind === 'tlv-length' ? mutateTlvLength(data, rng) : mutateOffsetTable(data, rng);
      // Nothing of that structure in this response: flip a byte instead (the case still counts).
      return changed ? withSw(changed, sw) : mutate(response, 'flip', rng);
    }
  }
}
