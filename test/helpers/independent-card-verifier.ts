/**
 * A second verifier of the card-face chain, written apart from the client (it imports nothing
 * from firmware/ or hardware-sim/): fixed offsets and a small TLV walk straight from spec
 * card-apdu.md, RSA by BigInt modular exponentiation (sig^e mod n), and a byte comparison of the
 * whole recovered block with `00 01 FF…FF 00 <DigestInfo>` built by hand. No OpenSSL padding
 * check, no shared parser: if the client and this disagree, one of them is wrong.
 */
import { createHash } from 'node:crypto';

export interface RsaKey {
  readonly n: bigint;
  readonly e: bigint;
  readonly bytes: number;
}

export class Refused extends Error {}

const big = (b: Uint8Array): bigint => BigInt(`0x${Buffer.from(b).toString('hex') || '0'}`);

function modPow(base: bigint, exp: bigint, mod: bigint): bigint {
  let result = 1n;
  let b = base % mod;
  let e = exp;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % mod;
    b = (b * b) % mod;
    e >>= 1n;
  }
  return result;
}

export function rsaKey(modulus: Uint8Array, exponent: Uint8Array): RsaKey {
  return { n: big(modulus), e: big(exponent), bytes: modulus.length };
}

/** sig^e mod n as `bytes` big-endian bytes. */
export function recoverBlock(key: RsaKey, signature: Uint8Array): Uint8Array {
  if (signature.length !== key.bytes) throw new Refused(`signature of ${signature.length} bytes for a ${key.bytes}-byte key`);
  const m = modPow(big(signature), key.e, key.n);
  return new Uint8Array(Buffer.from(m.toString(16).padStart(key.bytes * 2, '0'), 'hex'));
}

const SHA256_OID_PART = '300d06096086480165030402010500';

/** DigestInfo(sha256, octets) written out by hand: 30 L 30 0D … 05 00 04 L' octets. */
export function digestInfo(octets: Uint8Array): Uint8Array {
  const inner = Buffer.concat([Buffer.from(SHA256_OID_PART, 'hex'), Buffer.from([0x04, octets.length]), octets]);
  return new Uint8Array(Buffer.concat([Buffer.from([0x30, inner.length]), inner]));
}

/** The whole PKCS#1 v1.5 type-1 block a signer makes for `payload`. */
export function expectedBlock(bytes: number, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes).fill(0xff);
  out[0] = 0x00;
  out[1] = 0x01;
  out[bytes - payload.length - 1] = 0x00;
  out.set(payload, bytes - payload.length);
  return out;
}

export function checkSignature(key: RsaKey, signature: Uint8Array, payload: Uint8Array, what: string): void {
  const got = recoverBlock(key, signature);
  if (Buffer.compare(got, expectedBlock(key.bytes, payload)) !== 0)
    throw new Refused(`${what}: recovered block differs from 00 01 FF…00 ${Buffer.from(payload.subarray(0, 19)).toString('hex')}…`);
}

const sha256 = (...parts: Uint8Array[]): Uint8Array => new Uint8Array(createHash('sha256').update(Buffer.concat(parts)).digest());

function expect(bytes: Uint8Array, at: number, hex: string, what: string): void {
  const got = Buffer.from(bytes.subarray(at, at + hex.length / 2)).toString('hex');
  if (got !== hex) throw new Refused(`${what}: bytes at ${at} are ${got}, want ${hex}`);
}

/** `90 03 e 91 82 01 00 n` → key. */
export function cardKey(field: Uint8Array, what: string): RsaKey {
  if (field.length !== 265) throw new Refused(`${what}: key field of ${field.length} bytes, want 265`);
  expect(field, 0, '9003', what);
  expect(field, 5, '91820100', what);
  return rsaKey(field.subarray(9), field.subarray(2, 5));
}

export interface Ef0004 {
  readonly issuerId: Uint8Array;
  readonly subjectId: Uint8Array;
  readonly subjectKey: RsaKey;
}

/** EF 0004 at the spec's fixed offsets, its 5F37 checked with the CA key. */
export function verifyEf0004(ef: Uint8Array, ca: RsaKey): Ef0004 {
  if (ef.length < 568) throw new Refused(`EF 0004: ${ef.length} bytes, want 568`);
  expect(ef, 0, '7f21820233', 'EF 0004');
  expect(ef, 5, '5f4e820129', 'EF 0004 5F4E');
  const body = ef.subarray(10, 307);
  expect(ef, 307, '5f37820100', 'EF 0004 5F37');
  checkSignature(ca, ef.subarray(312, 568), digestInfo(sha256(body)), 'EF 0004 signature');
  return { issuerId: body.slice(0, 16), subjectId: body.slice(16, 32), subjectKey: cardKey(body.subarray(32), 'EF 0004 key') };
}

export interface Ef0002 {
  readonly objectLength: number;
  /** tag → TLV as written, and its offset from the EF start. */
  readonly fields: ReadonlyMap<number, { readonly tlv: Uint8Array; readonly value: Uint8Array; readonly at: number }>;
  readonly order: readonly number[];
  readonly digests: Uint8Array;
  readonly cardKey: RsaKey;
  readonly photo: Uint8Array;
}

/** Walks EF 0002 (2-byte tags, lengths 1/81/82), checks DF21 and DF28 with the EF 0004 key. */
export function verifyEf0002(ef: Uint8Array, signer: RsaKey): Ef0002 {
  expect(ef, 0, 'ff2082', 'EF 0002');
  const objectLength = 5 + (((ef[3] ?? 0) << 8) | (ef[4] ?? 0));
  const fields = new Map<number, { tlv: Uint8Array; value: Uint8Array; at: number }>();
  const order: number[] = [];
  let at = 5;
  for (let n = 0; at < objectLength && n < 20; n++) {
    if (ef[at] === 0xff || ef[at] === 0x00) break;
    const tag = ((ef[at] ?? 0) << 8) | (ef[at + 1] ?? 0);
    const l0 = ef[at + 2] ?? 0;
    const [len, head] =
      l0 < 0x80 ? [l0, 3] : l0 === 0x81 ? [ef[at + 3] ?? 0, 4] : l0 === 0x82 ? [((ef[at + 3] ?? 0) << 8) | (ef[at + 4] ?? 0), 5] : [-1, 0];
    if (len < 0 || at + head + len > objectLength) throw new Refused(`EF 0002: bad length at ${at}`);
    fields.set(tag, { tlv: ef.subarray(at, at + head + len), value: ef.subarray(at + head, at + head + len), at });
    order.push(tag);
    at += head + len;
  }
  const want = [0xdf21, 0xdf22, 0xdf23, 0xdf24, 0xdf25, 0xdf26, 0xdf27, 0xdf28, 0xdf29, 0xdf2a];
  if (order.join() !== want.join()) throw new Refused(`EF 0002: tags ${order.map((t) => t.toString(16)).join(' ')}`);
  const f = (tag: number): { tlv: Uint8Array; value: Uint8Array; at: number } => {
    const v = fields.get(tag);
    if (!v) throw new Refused(`EF 0002: no ${tag.toString(16)}`);
    return v;
  };
  const table = f(0xdf21).value;
  want.slice(1).forEach((tag, i) => {
    if ((((table[2 * i] ?? 0) << 8) | (table[2 * i + 1] ?? 0)) !== f(tag).at)
      throw new Refused(`EF 0002: DF21 entry ${i} is not where ${tag.toString(16)} starts`);
  });
  const digests = new Uint8Array(
    Buffer.concat([sha256(f(0xdf22).tlv, f(0xdf23).tlv, f(0xdf24).tlv), sha256(f(0xdf25).tlv, f(0xdf26).tlv), sha256(f(0xdf27).tlv)]),
  );
  checkSignature(signer, f(0xdf28).value, digestInfo(digests), 'DF28');
  return { objectLength, fields, order, digests, cardKey: cardKey(f(0xdf24).value, 'DF24'), photo: f(0xdf27).value };
}

/** The chip's `80 2A 00 00` answer for `nonce`, checked with the DF24 key. */
export function verifyChipProof(key: RsaKey, nonce: Uint8Array, signature: Uint8Array): void {
  checkSignature(key, signature, digestInfo(sha256(nonce)), 'chip proof');
}
